/**
 * A local endpoint speaking the Alibaba Cloud OSS protocol, for tests, demos and benchmarks.
 *
 * <p>Public API:
 *
 * <ul>
 *   <li>{@link dev.osscse.local.oss.LocalOssServer}: the server ({@code builder()}, {@code
 *       start()}, {@code endpoint()}, {@code createBucket(String)}, {@code faults()}, {@code
 *       close()}).
 *   <li>{@link dev.osscse.local.oss.FaultInjector}, {@link dev.osscse.local.oss.RequestMatcher},
 *       {@link dev.osscse.local.oss.FaultType}: fault hooks for reliability tests.
 *   <li>{@link dev.osscse.local.oss.LocalOssMain}: command-line launcher.
 * </ul>
 *
 * <p>Everything else is internal. The wire contract is what aliyun-sdk-oss 3.18.5 sends and expects
 * (local-oss/README.md); the server-side client-side-encryption checks are docs/format.md FMT-24.
 */
package dev.osscse.local.oss;
