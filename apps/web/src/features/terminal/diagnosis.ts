/** What each decrypt diagnosis means for the operator, shown next to `decrypt_failed`. */
const explanations: Record<string, string> = {
  unknown_key_id: 'the token was encrypted with a key id that is not in TOKEN_ENCRYPTION_KEYS',
  auth_failed: 'the ciphertext does not authenticate: wrong key or corrupted value',
  malformed: 'the stored value is not in the ENC:v1:<key id>:<data> format',
  double_encrypted: 'the value decrypts to another ENC: value (encrypted twice)',
  not_an_ebay_token: 'the value decrypts, but not to an eBay token (no v^ prefix)',
  plaintext_legacy: 'the token is stored without encryption (legacy row); re-encrypt it',
};

export function explainDiagnosis(diagnosis: string): string {
  const explanation = explanations[diagnosis];
  return explanation ? `${diagnosis} — ${explanation}` : diagnosis;
}
