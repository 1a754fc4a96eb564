package org.warder.registry.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.warder.registry.api.ErrorCode;
import org.warder.registry.api.RegistryException;
import org.warder.signing.StrictJson;

/**
 * Writes the API's JSON answers; the one place errors are serialised, as {@code
 * {"errors":[{"code","message","detail"}]}} with the code's HTTP status. Stateless.
 */
final class ApiResponses {
  static final String JSON = "application/json";
  static final String UPLOAD_OFFSET = "Upload-Offset";

  /** What a {@code BUSY} answer tells the client to wait before retrying. */
  static final long RETRY_AFTER_SECONDS = 5;

  private ApiResponses() {}

  static void json(Response response, int status, ObjectNode body, Callback callback) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    byte[] bytes;
    try {
      bytes = StrictJson.mapper().writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a response: " + e.getMessage(), e);
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  /** Answers with {@code error}: its code's status, the JSON body, and headers its facts imply. */
  static void error(Response response, RegistryException error, Callback callback) {
    ErrorCode code = error.code();
    if (code == ErrorCode.UNAUTHORIZED) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"warder-registry\"");
    }
    if (code == ErrorCode.BUSY) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }
    Object offset = error.detail().get("offset");
    if (offset instanceof Number n) {
      response.getHeaders().put(UPLOAD_OFFSET, n.longValue());
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode errors = body.putArray("errors");
    ObjectNode e = errors.addObject();
    e.put("code", code.name());
    e.put("message", error.getMessage());
    e.set("detail", StrictJson.mapper().valueToTree(error.detail()));
    json(response, code.httpStatus(), body, callback);
  }
}
