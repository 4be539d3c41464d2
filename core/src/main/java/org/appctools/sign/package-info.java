/**
 * OpenPGP for images: detached signatures ({@link org.appctools.sign.Signer}), their
 * verification against a trust store scoped by image-name prefix ({@link
 * org.appctools.sign.Verifier}, {@link org.appctools.sign.TrustStore}, rkt's layout) and
 * AES-256 encryption ({@link org.appctools.sign.Encryption}), all with BouncyCastle and
 * interoperable with GnuPG.
 */
package org.appctools.sign;
