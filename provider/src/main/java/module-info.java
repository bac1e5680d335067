/** The oss-cse JCA provider; it depends on the JDK alone. */
module dev.osscse.provider {
  requires static com.google.errorprone.annotations;

  exports dev.osscse.provider;

  provides java.security.Provider with
      dev.osscse.provider.OssCseProviders;
}
