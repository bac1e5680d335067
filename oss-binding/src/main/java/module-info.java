/**
 * The oss-cse OSS binding: client-side encryption for OSS in the format of the official SDKs.
 *
 * <p>Exported: the SDK-free API {@code dev.osscse.oss} (with {@code EncryptedStore}, the core), the
 * storage SPI {@code dev.osscse.oss.spi} (the port storage adapters implement) and the {@code
 * aliyun-sdk-oss} 3.x face {@code dev.osscse.oss.aliyun} ({@code OssCseClient}, {@code
 * EncryptingOss}, the adapter {@code AliyunObjectStore}). Not exported: {@code
 * dev.osscse.oss.internal} (codecs, streams, range plans). {@code aliyun.sdk.oss} is required
 * transitively because the exported adapter package names its types; it is the automatic module
 * name derived from the SDK's jar file name: the jar declares none.
 */
module dev.osscse.oss {
  requires transitive dev.osscse.provider;
  requires transitive aliyun.sdk.oss;
  requires com.google.gson;
  requires java.xml;

  exports dev.osscse.oss;
  exports dev.osscse.oss.spi;
  exports dev.osscse.oss.aliyun;
}
