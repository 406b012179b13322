package dev.relaycluster.admin.crs;

import dev.relaycluster.admin.AdminInputException;
import dev.relaycluster.usage.UsageRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What an import will write (pure, given the data read and the old key): the accounts and keys not here yet,
 * the usage of those keys, and what is left out and why. The old encryption key is checked first, before
 * anything is planned: against {@code sampleKey} when given (its salted hash must be in {@code apikey:hash_map}),
 * else against the encrypted credentials (a wrong key opens none of them; some failing with others opening means
 * those records are damaged, and only they are skipped). With neither, the key cannot be checked and the import
 * is refused, since keys imported with a wrong salt would never authenticate. A new key's request-detail log
 * replaces the part of its usage entries the requests cover ({@link CrsRequestMapping}); webhook platforms become
 * alert targets ({@link CrsWebhookMapping}) unless a target of the same id is here already.
 */
record CrsImportPlan(List<CrsAccountMapping.ImportedAccount> accounts, List<CrsKeyMapping.ImportedKey> keys,
    Map<String, List<UsageRecord>> usage, Map<String, List<UsageRecord>> requests,
    List<CrsWebhookMapping.ImportedTarget> targets, Map<String, int[]> counts, List<CrsSkip> skipped,
    List<CrsSkip> notes) {

  static final int FOUND = 0;
  static final int IMPORTED = 1;
  static final int SKIPPED = 2;
  static final int PRESENT = 3;

  static CrsImportPlan make(CrsData data, CrsImportRequest req, CrsCipher cipher, Predicate<String> keyPresent,
      Predicate<String> accountPresent, Predicate<String> targetPresent, long now) {
    Map<String, int[]> counts = new LinkedHashMap<>();
    counts.put("keys", new int[4]);
    counts.put("accounts", new int[4]);
    counts.put("usage", new int[4]);
    counts.put("requests", new int[4]);
    counts.put("webhooks", new int[4]);
    List<CrsSkip> skipped = new ArrayList<>();
    List<CrsSkip> notes = new ArrayList<>();
    for (CrsSkip s : data.unreadable()) {
      String kind = s.kind().equals("key") ? "keys" : s.kind().equals("account") ? "accounts"
          : s.kind().equals("usage") ? "usage" : s.kind().equals("request") ? "requests" : null;
      if (kind != null) {
        counts.get(kind)[FOUND]++;
        counts.get(kind)[SKIPPED]++;
      }
      skipped.add(s);
    }

    List<CrsAccountMapping.ImportedAccount> accounts = new ArrayList<>();
    for (CrsData.CrsRecord r : data.accounts()) {
      String name = r.fields().get("name");
      try {
        for (CrsAccountMapping.ImportedAccount a : CrsAccountMapping.map(r, data.groups(), cipher)) {
          counts.get("accounts")[FOUND]++;
          if (accountPresent.test(a.id())) {
            counts.get("accounts")[PRESENT]++;
            continue;
          }
          counts.get("accounts")[IMPORTED]++;
          accounts.add(a);
          if (a.note() != null) {
            notes.add(new CrsSkip("account", a.id(), a.name(), a.note()));
          }
        }
      } catch (CrsAccountMapping.Unusable e) {
        counts.get("accounts")[FOUND]++;
        counts.get("accounts")[SKIPPED]++;
        skipped.add(new CrsSkip("account", r.id(), name, CrsAccountMapping.KINDS.getOrDefault(r.prefix(), r.prefix())
            + ": " + e.getMessage()));
      }
    }
    checkKey(data, req, cipher);

    List<CrsKeyMapping.ImportedKey> keys = new ArrayList<>();
    Map<String, List<UsageRecord>> usage = new LinkedHashMap<>();
    Map<String, List<UsageRecord>> requests = new LinkedHashMap<>();
    for (Map<String, String> f : data.keys()) {
      String id = f.get("id");
      counts.get("keys")[FOUND]++;
      CrsKeyMapping.ImportedKey k;
      try {
        k = CrsKeyMapping.map(f, data.groups());
      } catch (CrsKeyMapping.Unusable e) {
        counts.get("keys")[SKIPPED]++;
        skipped.add(new CrsSkip("key", id, f.get("name"), e.getMessage()));
        continue;
      }
      if (keyPresent.test(k.id())) {
        counts.get("keys")[PRESENT]++;
        continue;
      }
      counts.get("keys")[IMPORTED]++;
      keys.add(k);
      if (k.note() != null) {
        notes.add(new CrsSkip("key", k.id(), k.settings().name(), k.note()));
      }
      CrsData.CrsKeyUsage u = data.usage().get(id);
      if (u != null) {
        List<UsageRecord> entries = CrsUsageMapping.map(k.id(), u, k.createdAt(), req.zone(), now);
        CrsRequestMapping.Result detail = CrsRequestMapping.map(k.id(), u.records(), entries, req.zone(), now);
        counts.get("usage")[FOUND] += detail.entries().size();
        counts.get("usage")[IMPORTED] += detail.entries().size();
        usage.put(k.id(), detail.entries());
        int[] r = counts.get("requests");
        r[FOUND] += detail.requests().size() + detail.skipped().size();
        r[IMPORTED] += detail.requests().size();
        r[SKIPPED] += detail.skipped().size();
        skipped.addAll(detail.skipped());
        if (!detail.requests().isEmpty()) {
          requests.put(k.id(), detail.requests());
        }
      }
    }

    CrsWebhookMapping.Result hooks = CrsWebhookMapping.map(data.webhookConfig(), now);
    List<CrsWebhookMapping.ImportedTarget> targets = new ArrayList<>();
    int[] w = counts.get("webhooks");
    w[FOUND] += hooks.targets().size() + hooks.skipped().size();
    w[SKIPPED] += hooks.skipped().size();
    skipped.addAll(hooks.skipped());
    for (CrsWebhookMapping.ImportedTarget t : hooks.targets()) {
      if (targetPresent.test(t.target().id())) {
        w[PRESENT]++;
        continue;
      }
      w[IMPORTED]++;
      targets.add(t);
      if (t.note() != null) {
        notes.add(new CrsSkip("webhook", t.target().id(), t.target().name(), t.note()));
      }
    }
    return new CrsImportPlan(accounts, keys, usage, requests, targets, counts, skipped, notes);
  }

  private static void checkKey(CrsData data, CrsImportRequest req, CrsCipher cipher) {
    if (req.sampleKey() != null) {
      if (!data.hashMap().containsKey(cipher.keyHash(req.sampleKey().strip()))) {
        throw AdminInputException.invalid("encryptionKey: the sample key is not one of the old relay's keys with this"
            + " encryption key (wrong ENCRYPTION_KEY, or a key that was deleted); nothing was imported");
      }
      return;
    }
    if (cipher.opened() == 0 && cipher.failed() > 0) {
      throw AdminInputException.invalid("encryptionKey: it opens none of the " + cipher.failed() + " encrypted"
          + " credentials, so it is not the ENCRYPTION_KEY the old relay ran with; nothing was imported");
    }
    if (cipher.opened() == 0 && !data.keys().isEmpty()) {
      throw AdminInputException.invalid("encryptionKey: the old relay holds no encrypted credential to check it"
          + " against; send sampleKey (one of its plain API keys) as well; nothing was imported");
    }
  }
}
