/**
 * The oss-cse OSS binding: client-side encryption over {@code aliyun-sdk-oss} in the format of the
 * official SDKs.
 *
 * <p>Exported: the API package {@code dev.osscse.oss} and the storage SPI {@code
 * dev.osscse.oss.spi} (the port storage adapters implement). Not exported: {@code
 * dev.osscse.oss.internal} (codecs, streams, range plans) and {@code dev.osscse.oss.aliyun} (the
 * {@code aliyun-sdk-oss} adapter behind the port). {@code aliyun.sdk.oss} is the automatic module
 * name derived from the SDK's jar file name: the jar declares none.
 */
module dev.osscse.oss {
  requires transitive dev.osscse.provider;
  requires transitive aliyun.sdk.oss;
  requires com.google.gson;
  requires java.xml;

  exports dev.osscse.oss;
  exports dev.osscse.oss.spi;
}
