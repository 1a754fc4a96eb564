package org.warder.registry.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refused registry request: one {@link ErrorCode}, a message that says what was expected, what
 * was found and what to do, and a detail object with the same facts as values. Nothing was changed
 * when this is thrown.
 */
public final class RegistryException extends Exception {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;
  private final transient Map<String, Object> detail;

  public RegistryException(ErrorCode code, String message) {
    this(code, message, Map.of(), null);
  }

  public RegistryException(ErrorCode code, String message, Map<String, ?> detail) {
    this(code, message, detail, null);
  }

  public RegistryException(ErrorCode code, String message, Map<String, ?> detail, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.detail = Collections.unmodifiableMap(new LinkedHashMap<>(detail));
  }

  public ErrorCode code() {
    return code;
  }

  /** Facts of the refusal (JSON-serialisable values: strings, numbers, lists). */
  public Map<String, Object> detail() {
    return detail;
  }
}
