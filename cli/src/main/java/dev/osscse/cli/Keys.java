package dev.osscse.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import dev.osscse.keys.PemKeyException;
import dev.osscse.keys.PemKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import java.util.TreeMap;

/** Reads key files and {@code --matdesc} values for commands, with one-line errors. */
final class Keys {
  private Keys() {}

  /** Reads a public key; a private-key PEM is accepted too (its public half is used). */
  static RSAPublicKey readPublic(Path pem, String option) {
    String text = readText(pem, option);
    try {
      return PemKeys.readPublicKey(text);
    } catch (PemKeyException publicFailed) {
      try {
        return PemKeys.publicKeyOf(PemKeys.readPrivateKey(text));
      } catch (PemKeyException e) {
        throw new CliException(
            ExitCodes.KEY,
            option
                + " "
                + pem
                + ": not a usable RSA public key PEM ("
                + publicFailed.getMessage()
                + "); expected -----BEGIN PUBLIC KEY----- or -----BEGIN RSA PUBLIC KEY-----",
            publicFailed);
      }
    }
  }

  /** Reads a private key. */
  static RSAPrivateKey readPrivate(Path pem, String option) {
    String text = readText(pem, option);
    try {
      return PemKeys.readPrivateKey(text);
    } catch (PemKeyException e) {
      throw new CliException(
          ExitCodes.KEY,
          option
              + " "
              + pem
              + ": not a usable RSA private key PEM ("
              + e.getMessage()
              + "); expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----",
          e);
    }
  }

  private static String readText(Path pem, String option) {
    try {
      if (Files.size(pem) > PemKeys.MAX_PEM_CHARS) {
        throw new CliException(
            ExitCodes.KEY, option + " " + pem + ": file too large to be a PEM key");
      }
      return Files.readString(pem, java.nio.charset.StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.NOT_FOUND, option + " " + pem + ": no such file", e);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.GENERIC, option + " " + pem + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /** Parses {@code --matdesc}: a JSON object whose values are all strings. */
  static Map<String, String> parseMatDesc(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    JsonElement e;
    try {
      e = JsonParser.parseString(json);
    } catch (JsonSyntaxException ex) {
      throw new CliException(
          ExitCodes.USAGE,
          "--matdesc is not valid JSON; expected e.g. '{\"desc\":\"backup\"}'",
          ex);
    }
    if (!e.isJsonObject()) {
      throw new CliException(
          ExitCodes.USAGE,
          "--matdesc must be a JSON object of strings, e.g. '{\"desc\":\"backup\"}'");
    }
    TreeMap<String, String> m = new TreeMap<>();
    JsonObject o = e.getAsJsonObject();
    for (Map.Entry<String, JsonElement> entry : o.entrySet()) {
      JsonElement v = entry.getValue();
      if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
        throw new CliException(
            ExitCodes.USAGE, "--matdesc value of \"" + entry.getKey() + "\" must be a JSON string");
      }
      m.put(entry.getKey(), v.getAsString());
    }
    return m;
  }

  /** Compact JSON of a material description, keys sorted. */
  static String matDescJson(Map<String, String> matDesc) {
    JsonObject o = new JsonObject();
    new TreeMap<>(matDesc).forEach(o::addProperty);
    return o.toString();
  }
}
