/**
 * The App Container spec's value types (spec/types.md and the Go reference's schema/types):
 * immutable records that cannot be built invalid. Validation lives in the compact constructors and
 * throws the unchecked {@link org.appctools.schema.types.InvalidValueException}; {@code parse}
 * factories and {@code toString()} give the wire form, and Jackson binds through them. Pure: no
 * IO, no dependency on other {@code org.appctools} packages.
 */
package org.appctools.schema.types;
