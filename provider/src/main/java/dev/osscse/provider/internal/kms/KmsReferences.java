package dev.osscse.provider.internal.kms;

import dev.osscse.provider.KmsKeyReference;
import java.util.function.Function;

/** Gives the internal engine access to the state behind a public {@link KmsKeyReference}. */
public final class KmsReferences {
  private static volatile Function<KmsKeyReference, KmsKeyState> accessor;

  private KmsReferences() {}

  /**
   * Called once by {@link KmsKeyReference}'s static initialiser; calls from any other class are
   * refused, so nothing else can intercept the state of key references.
   */
  public static synchronized void setAccessor(Function<KmsKeyReference, KmsKeyState> a) {
    Class<?> caller =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
    if (caller != KmsKeyReference.class) {
      throw new SecurityException("only KmsKeyReference may set the accessor");
    }
    if (accessor == null) {
      accessor = a;
    }
  }

  /** Returns the state of a reference; its class is initialised since an instance exists. */
  public static KmsKeyState stateOf(KmsKeyReference ref) {
    return accessor.apply(ref);
  }
}
