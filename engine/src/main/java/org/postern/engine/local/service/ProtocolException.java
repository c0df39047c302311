package org.postern.engine.local.service;

import java.io.IOException;

/** A peer on the local delivery socket sent something the protocol does not allow. */
public final class ProtocolException extends IOException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }
}
