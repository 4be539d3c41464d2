package org.appctools.sign;

import org.appctools.AppcException;

/** A signature that does not establish trust: missing, broken, or made by a key not trusted. */
public class SignatureException extends AppcException {
  public SignatureException(String message) {
    super(message);
  }

  public SignatureException(String message, Throwable cause) {
    super(message, cause);
  }
}
