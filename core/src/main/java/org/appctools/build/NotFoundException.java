package org.appctools.build;

import org.appctools.AppcException;

/** The element a command should remove is absent; acbuild exits with 2 on it, as the Go tool. */
public class NotFoundException extends AppcException {
  /** The Go acbuild's message ({@code lib.ErrNotFound}). */
  public static final String MESSAGE = "element to be removed does not exist in this ACI";

  /** {@code what} names the element, e.g. {@code label "version"}; it follows Go's message. */
  public NotFoundException(String what) {
    super(MESSAGE + ": " + what);
  }
}
