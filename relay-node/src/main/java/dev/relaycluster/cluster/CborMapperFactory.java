package dev.relaycluster.cluster;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperFactory;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProviderSetup;

/**
 * The node's CBOR writer for {@link CborSerializable} messages and events: CBOR with string references (the
 * stringref extension, tags 256 and 25), so a string written twice in one message goes out once and then as
 * its index. A key's usage batch names every record's fields and repeats its key, account, model, route and
 * price version: with references a batch of 20 records is about a third of its plain size, which is what the
 * journal writes (and, on the embedded default, what H2 holds in memory until it is flushed). Every reader
 * takes both forms (Jackson's CBOR parser resolves references itself), so journals and snapshots written
 * before read as they did, and a node of an earlier version reads what this one sends.
 */
public final class CborMapperFactory extends JacksonObjectMapperFactory {
  /** The setup that gives an actor system this factory. */
  public static JacksonObjectMapperProviderSetup setup() {
    return new JacksonObjectMapperProviderSetup(new CborMapperFactory());
  }

  @Override
  public ObjectMapper newObjectMapper(String bindingName, JsonFactory jsonFactory) {
    if (jsonFactory instanceof CBORFactory cbor) {
      cbor.enable(CBORGenerator.Feature.STRINGREF);
    }
    return super.newObjectMapper(bindingName, jsonFactory);
  }
}
