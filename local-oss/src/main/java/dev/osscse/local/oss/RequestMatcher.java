package dev.osscse.local.oss;

import java.util.Objects;

/**
 * Selects the requests a fault applies to. {@code key} is null for bucket-level and service-level
 * requests, {@code bucket} is null for service-level requests. {@code method} is the HTTP method in
 * upper case.
 */
@FunctionalInterface
public interface RequestMatcher {
  boolean matches(String method, String bucket, String key);

  /** Every request. */
  static RequestMatcher any() {
    return (m, b, k) -> true;
  }

  /** Requests with this HTTP method (for example "GET"). */
  static RequestMatcher method(String method) {
    Objects.requireNonNull(method, "method");
    return (m, b, k) -> method.equalsIgnoreCase(m);
  }

  /** Requests on exactly this object key, any method. */
  static RequestMatcher key(String key) {
    Objects.requireNonNull(key, "key");
    return (m, b, k) -> key.equals(k);
  }

  /** Requests on object keys starting with this prefix, any method. */
  static RequestMatcher keyPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    return (m, b, k) -> k != null && k.startsWith(prefix);
  }

  /** Requests with this HTTP method on exactly this object key. */
  static RequestMatcher methodAndKey(String method, String key) {
    return method(method).and(key(key));
  }

  default RequestMatcher and(RequestMatcher other) {
    Objects.requireNonNull(other, "other");
    return (m, b, k) -> matches(m, b, k) && other.matches(m, b, k);
  }
}
