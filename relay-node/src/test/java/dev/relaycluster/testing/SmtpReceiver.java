package dev.relaycluster.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A tiny SMTP server on loopback (RFC 5321 subset) for tests: EHLO/HELO, AUTH PLAIN and AUTH LOGIN
 * (RFC 4954, only the mechanisms it was told to offer), MAIL FROM, RCPT TO, DATA with dot-unstuffing,
 * RSET, NOOP and QUIT. No STARTTLS. It records each accepted message with its envelope.
 */
public final class SmtpReceiver implements AutoCloseable {
  /** One accepted message: who authenticated (or null), the envelope, and the raw message data. */
  public record Mail(String authUser, String from, List<String> recipients, String data) {}

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "smtp-receiver");
    t.setDaemon(true);
    return t;
  });
  private final String username;
  private final String password;
  private final List<String> mechanisms;
  private final List<Mail> mails = Collections.synchronizedList(new ArrayList<>());
  private final List<String> authAttempts = Collections.synchronizedList(new ArrayList<>());

  /**
   * @param username null for a server without AUTH
   * @param mechanisms offered AUTH mechanisms, e.g. "PLAIN" or "LOGIN"
   */
  public SmtpReceiver(String username, String password, String... mechanisms) throws IOException {
    this.username = username;
    this.password = password;
    this.mechanisms = List.of(mechanisms);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  public List<Mail> mails() {
    synchronized (mails) {
      return List.copyOf(mails);
    }
  }

  /** "PLAIN:ok", "LOGIN:refused", … in order. */
  public List<String> authAttempts() {
    synchronized (authAttempts) {
      return List.copyOf(authAttempts);
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        threads.execute(() -> session(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void session(Socket socket) {
    try (socket) {
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      reply(out, "220 smtp.test ESMTP test receiver");
      String authUser = null;
      String from = null;
      List<String> rcpt = new ArrayList<>();
      for (String line; (line = in.readLine()) != null; ) {
        String upper = line.toUpperCase(Locale.ROOT);
        if (upper.startsWith("EHLO")) {
          StringBuilder sb = new StringBuilder("250-smtp.test greets you\r\n");
          if (username != null && !mechanisms.isEmpty()) {
            sb.append("250-AUTH ").append(String.join(" ", mechanisms)).append("\r\n");
          }
          sb.append("250-8BITMIME\r\n250 SIZE 10485760");
          reply(out, sb.toString());
        } else if (upper.startsWith("HELO")) {
          reply(out, "250 smtp.test");
        } else if (upper.startsWith("AUTH PLAIN") && mechanisms.contains("PLAIN")) {
          String[] parts = line.split(" ");
          String encoded = parts.length > 2 ? parts[2] : challenge(in, out, "");
          String[] fields = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).split("\0", -1);
          authUser = authenticate("PLAIN", fields.length == 3 ? fields[1] : "", fields.length == 3 ? fields[2] : "", out);
        } else if (upper.startsWith("AUTH LOGIN") && mechanisms.contains("LOGIN")) {
          String[] parts = line.split(" ");
          String user = parts.length > 2 ? decode(parts[2]) : decode(challenge(in, out, "VXNlcm5hbWU6"));
          String pass = decode(challenge(in, out, "UGFzc3dvcmQ6"));
          authUser = authenticate("LOGIN", user, pass, out);
        } else if (upper.startsWith("AUTH")) {
          reply(out, "504 5.5.4 mechanism not supported");
        } else if (upper.startsWith("MAIL FROM:")) {
          if (username != null && authUser == null) {
            reply(out, "530 5.7.0 authentication required");
            continue;
          }
          from = address(line.substring(10));
          rcpt.clear();
          reply(out, "250 2.1.0 ok");
        } else if (upper.startsWith("RCPT TO:")) {
          rcpt.add(address(line.substring(8)));
          reply(out, "250 2.1.5 ok");
        } else if (upper.equals("DATA")) {
          if (from == null || rcpt.isEmpty()) {
            reply(out, "503 5.5.1 need MAIL and RCPT first");
            continue;
          }
          reply(out, "354 end data with <CR><LF>.<CR><LF>");
          StringBuilder data = new StringBuilder();
          for (String d; (d = in.readLine()) != null && !d.equals("."); ) {
            data.append(d.startsWith("..") ? d.substring(1) : d).append("\r\n");
          }
          mails.add(new Mail(authUser, from, List.copyOf(rcpt), data.toString()));
          from = null;
          rcpt.clear();
          reply(out, "250 2.0.0 queued");
        } else if (upper.equals("RSET")) {
          from = null;
          rcpt.clear();
          reply(out, "250 2.0.0 ok");
        } else if (upper.equals("NOOP")) {
          reply(out, "250 2.0.0 ok");
        } else if (upper.equals("QUIT")) {
          reply(out, "221 2.0.0 bye");
          return;
        } else {
          reply(out, "502 5.5.2 command not implemented");
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private String authenticate(String mechanism, String user, String pass, OutputStream out) throws IOException {
    boolean ok = username != null && username.equals(user) && password.equals(pass);
    authAttempts.add(mechanism + ":" + (ok ? "ok" : "refused"));
    reply(out, ok ? "235 2.7.0 authentication successful" : "535 5.7.8 authentication credentials invalid");
    return ok ? user : null;
  }

  private static String challenge(BufferedReader in, OutputStream out, String prompt) throws IOException {
    reply(out, "334 " + prompt);
    String line = in.readLine();
    return line == null ? "" : line.strip();
  }

  private static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  private static String address(String param) {
    String p = param.strip();
    int lt = p.indexOf('<');
    int gt = p.indexOf('>');
    return lt >= 0 && gt > lt ? p.substring(lt + 1, gt) : p.split(" ")[0];
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
