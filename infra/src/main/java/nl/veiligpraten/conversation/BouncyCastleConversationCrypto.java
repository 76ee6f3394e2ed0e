package nl.veiligpraten.conversation;

import java.util.UUID;
import nl.veiligpraten.infra.crypto.DataKey;
import nl.veiligpraten.infra.crypto.DataKeyWrapper;
import nl.veiligpraten.infra.crypto.MessageAad;
import nl.veiligpraten.infra.crypto.OrganisationKeyStore;
import nl.veiligpraten.infra.crypto.TranscriptCipher;
import nl.veiligpraten.infra.crypto.WrappedKey;

/**
 * {@link ConversationCrypto} over the Bouncy Castle envelope encryption of {@code
 * nl.veiligpraten.infra.crypto}.
 */
public final class BouncyCastleConversationCrypto implements ConversationCrypto<DataKey> {

  private final OrganisationKeyStore keyStore;
  private final DataKeyWrapper wrapper;
  private final TranscriptCipher cipher = new TranscriptCipher();

  public BouncyCastleConversationCrypto(OrganisationKeyStore keyStore) {
    this.keyStore = keyStore;
    this.wrapper = new DataKeyWrapper(keyStore);
  }

  public OrganisationKeyStore keyStore() {
    return keyStore;
  }

  @Override
  public NewKey<DataKey> newKey(UUID conversationId, String orgId) {
    DataKey key = DataKey.generate(conversationId);
    WrappedKey wrapped = wrapper.wrap(key, orgId);
    return new NewKey<>(key, wrapped.keyId(), wrapped.bytes());
  }

  @Override
  public DataKey unwrap(UUID conversationId, String orgId, String keyId, byte[] wrapped) {
    return wrapper.unwrap(new WrappedKey(keyId, wrapped), orgId, conversationId);
  }

  @Override
  public ConversationRepository.WrappedKeyRow wrapFor(
      DataKey key, UUID conversationId, String orgId) {
    WrappedKey wrapped = wrapper.wrap(key, orgId);
    return new ConversationRepository.WrappedKeyRow(wrapped.keyId(), wrapped.bytes());
  }

  @Override
  public byte[] seal(DataKey key, UUID conversationId, long seq, String sender, byte[] plaintext) {
    return cipher.seal(key, new MessageAad(conversationId, seq, sender), plaintext);
  }

  @Override
  public byte[] open(DataKey key, UUID conversationId, long seq, String sender, byte[] sealed) {
    return cipher.open(key, new MessageAad(conversationId, seq, sender), sealed);
  }
}
