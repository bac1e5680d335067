package dev.osscse.local.oss;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;

/** Minimal XML writing and hardened parsing. */
final class Xml {
  private final StringBuilder sb = new StringBuilder(256);

  Xml() {
    sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  }

  Xml open(String name) {
    sb.append('<').append(name).append('>');
    return this;
  }

  Xml close(String name) {
    sb.append("</").append(name).append(">\n");
    return this;
  }

  Xml elem(String name, Object value) {
    if (value == null) {
      return this;
    }
    sb.append('<').append(name).append('>');
    escape(String.valueOf(value));
    sb.append("</").append(name).append(">\n");
    return this;
  }

  /** Escapes element text; quotes stay literal, as in OSS replies ({@code <ETag>"..."</ETag>}). */
  private void escape(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        default -> {
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            sb.append("&#").append((int) c).append(';');
          } else {
            sb.append(c);
          }
        }
      }
    }
  }

  byte[] toBytes() {
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return sb.toString();
  }

  static Document parse(byte[] body) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      return b.parse(new ByteArrayInputStream(body));
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new OssError(
          400, "MalformedXML", "The XML you provided was not well-formed or did not validate.");
    }
  }
}
