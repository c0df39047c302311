package org.postern.engine.smtpd;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Turns the traditional OpenSSL key encodings into the PKCS#8 {@code PrivateKeyInfo} that the
 * JDK's KeyFactory reads: PKCS#1 {@code RSAPrivateKey} (RFC 8017 A.1.2, "RSA PRIVATE KEY")
 * and SEC1 {@code ECPrivateKey} (RFC 5915, "EC PRIVATE KEY"), whose named curve is taken
 * from its {@code [0] parameters}. Just enough DER for these two shapes.
 *
 * <p>Trusts nothing in the input: a structure it cannot follow is a TlsSetupException.
 * Stateless.
 */
final class PrivateKeyDer {
  private static final int SEQUENCE = 0x30;
  private static final int OCTET_STRING = 0x04;
  private static final int OID = 0x06;
  private static final int CONTEXT_0 = 0xA0;
  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};
  private static final byte[] NULL = {0x05, 0x00};
  /** 1.2.840.113549.1.1.1 rsaEncryption. */
  private static final byte[] RSA_ENCRYPTION =
      {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
  /** 1.2.840.10045.2.1 id-ecPublicKey. */
  private static final byte[] EC_PUBLIC_KEY =
      {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};

  private PrivateKeyDer() {}

  /** PKCS#8 around a PKCS#1 RSA key. */
  static byte[] fromPkcs1(byte[] rsaPrivateKey) {
    return tlv(SEQUENCE, VERSION_0, tlv(SEQUENCE, RSA_ENCRYPTION, NULL),
        tlv(OCTET_STRING, rsaPrivateKey));
  }

  /** PKCS#8 around a SEC1 EC key, with the curve its parameters name. */
  static byte[] fromSec1(byte[] ecPrivateKey) throws TlsSetupException {
    byte[] curve = curveOf(ecPrivateKey);
    return tlv(SEQUENCE, VERSION_0, tlv(SEQUENCE, EC_PUBLIC_KEY, curve),
        tlv(OCTET_STRING, ecPrivateKey));
  }

  /** The OID element inside ECPrivateKey's {@code [0] parameters}. */
  private static byte[] curveOf(byte[] der) throws TlsSetupException {
    Element outer = Element.at(der, 0);
    if (outer.tag != SEQUENCE) {
      throw new TlsSetupException("EC PRIVATE KEY: not a DER sequence");
    }
    int pos = outer.contentStart;
    while (pos < outer.end) {
      Element e = Element.at(der, pos);
      if (e.tag == CONTEXT_0) {
        Element oid = Element.at(der, e.contentStart);
        if (oid.tag != OID) {
          throw new TlsSetupException("EC PRIVATE KEY: explicit curve parameters are not "
              + "supported, only a named curve");
        }
        return Arrays.copyOfRange(der, e.contentStart, oid.end);
      }
      pos = e.end;
    }
    throw new TlsSetupException("EC PRIVATE KEY: no curve named in the key");
  }

  private static byte[] tlv(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      content.writeBytes(p);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.size();
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }

  /** One DER element's tag and extent; definite lengths only (DER has no others). */
  private record Element(int tag, int contentStart, int end) {
    static Element at(byte[] der, int pos) throws TlsSetupException {
      if (pos + 2 > der.length) {
        throw new TlsSetupException("EC PRIVATE KEY: truncated DER");
      }
      int tag = der[pos] & 0xFF;
      int first = der[pos + 1] & 0xFF;
      int start = pos + 2;
      long length = first;
      if (first >= 0x80) {
        int bytes = first & 0x7F;
        if (bytes == 0 || bytes > 3 || start + bytes > der.length) {
          throw new TlsSetupException("EC PRIVATE KEY: bad DER length");
        }
        length = 0;
        for (int i = 0; i < bytes; i++) {
          length = length << 8 | (der[start + i] & 0xFF);
        }
        start += bytes;
      }
      if (start + length > der.length) {
        throw new TlsSetupException("EC PRIVATE KEY: truncated DER");
      }
      return new Element(tag, start, (int) (start + length));
    }
  }
}
