package io.github.regionrouter.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.Key;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.crypto.SecretKey;

/**
 * Chooses verification keys by algorithm family, so that the two families can never be confused:
 * an HMAC algorithm is verified with the configured HMAC secret and nothing else; an RSA or EC algorithm
 * with public keys of the JWK source and nothing else.
 *
 * <p>This is what defeats the classic "HS256 signed with the RSA public key" attack: the public key of a
 * JWK set is never handed to an HMAC verifier, whatever the token's header says, and a symmetric
 * ({@code oct}) key that shows up in a JWK set is never used at all.
 *
 * <p>Thread safety: immutable; the nimbus selector and key source it delegates to are thread-safe.
 */
final class AlgorithmKeySelector implements JWSKeySelector<SecurityContext> {

  private final Set<JWSAlgorithm> hmacAlgorithms;
  private final List<SecretKey> hmacKey;
  private final JWSVerificationKeySelector<SecurityContext> asymmetric;

  /**
   * @param hmacAlgorithms       allowed HMAC algorithms (may be empty)
   * @param hmacKey              the secret for them (null iff none)
   * @param asymmetricAlgorithms allowed RSA/EC algorithms (may be empty)
   * @param keySource            their keys (null iff none)
   */
  AlgorithmKeySelector(Set<JWSAlgorithm> hmacAlgorithms, SecretKey hmacKey,
      Set<JWSAlgorithm> asymmetricAlgorithms, JWKSource<SecurityContext> keySource) {
    this.hmacAlgorithms = Set.copyOf(hmacAlgorithms);
    this.hmacKey = hmacKey == null ? List.of() : List.of(hmacKey);
    this.asymmetric = asymmetricAlgorithms.isEmpty() || keySource == null
        ? null
        : new JWSVerificationKeySelector<>(Set.copyOf(asymmetricAlgorithms), keySource);
  }

  @Override
  public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
    JWSAlgorithm algorithm = header.getAlgorithm();
    if (hmacAlgorithms.contains(algorithm)) {
      return hmacKey;
    }
    if (asymmetric == null || !asymmetric.isAllowed(algorithm)) {
      return List.of();
    }
    List<Key> candidates = asymmetric.selectJWSKeys(header, context);
    List<Key> publicKeys = new ArrayList<>(candidates.size());
    for (Key key : candidates) {
      if (key instanceof PublicKey) {
        publicKeys.add(key);
      }
    }
    return publicKeys;
  }
}
