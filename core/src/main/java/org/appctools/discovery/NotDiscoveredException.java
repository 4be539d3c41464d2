package org.appctools.discovery;

import java.util.List;
import org.appctools.AppcException;

/** No page of the walk gave what was looked for; {@link #attempts()} says why, page by page. */
public final class NotDiscoveredException extends AppcException {
  private final List<Attempt> attempts;

  NotDiscoveredException(String message, List<Attempt> attempts) {
    super(message);
    this.attempts = List.copyOf(attempts);
  }

  public List<Attempt> attempts() {
    return attempts;
  }
}
