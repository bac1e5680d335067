/** The oss-cse JCA provider. */
module dev.osscse.provider {
  requires static com.google.errorprone.annotations;
  requires org.bouncycastle.provider;

  exports dev.osscse.provider;

  provides java.security.Provider with
      dev.osscse.provider.OssCseProviders;
}
