/**
 * The engine of {@code acbuild}: a build session in a context directory ({@code .acbuild} under
 * the work path) that holds one image being built, locked against a second acbuild and changed
 * only atomically (see {@link org.appctools.build.BuildSession}); the manifest edits of the Go
 * acbuild as pure functions ({@link org.appctools.build.ManifestEdits}); its script format
 * ({@link org.appctools.build.ScriptParser}).
 */
package org.appctools.build;
