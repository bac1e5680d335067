/** RSA keys in PEM for oss-cse: {@link dev.osscse.keys.PemKeys}. */
module dev.osscse.keys {
  requires static com.google.errorprone.annotations;
  requires org.bouncycastle.provider;

  exports dev.osscse.keys;
}
