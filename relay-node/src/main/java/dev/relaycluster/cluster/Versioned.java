package dev.relaycluster.cluster;

/** An entry of a replicated view: its id, and a revision that grows with every change of its owner. */
public interface Versioned extends CborSerializable {
  String id();

  long revision();
}
