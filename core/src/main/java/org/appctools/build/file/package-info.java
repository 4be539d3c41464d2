/**
 * Build files: Dockerfiles read as Docker reads them ({@link org.appctools.build.file.Dockerfile},
 * {@link org.appctools.build.file.ShellLex} for quotes and variables, {@link
 * org.appctools.build.file.DockerIgnore}, {@link org.appctools.build.file.BuildContext}), built
 * into ACIs through {@link org.appctools.build.BuildSession}s step by step ({@link
 * org.appctools.build.file.DockerfileBuild}), each step keyed ({@link
 * org.appctools.build.file.StepKey}) and cached in the image store's {@link
 * org.appctools.store.BuildCache}. Base images are found and RUN steps run through callbacks, so
 * this package needs neither the network nor the executor.
 */
package org.appctools.build.file;
