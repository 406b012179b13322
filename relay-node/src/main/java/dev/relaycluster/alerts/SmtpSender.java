package dev.relaycluster.alerts;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

/**
 * Sends an alert as a plain-text e-mail over SMTP (Jakarta Mail, Eclipse Angus): {@code starttls}
 * (required, not opportunistic), {@code tls} (implicit TLS, usually port 465) or {@code none}; AUTH
 * when a username is set. Blocking: call it on the alert delivery executor only.
 */
public final class SmtpSender {
  private SmtpSender() {}

  public static void send(WebhookTarget target, AccountAlert alert, Duration timeout) throws MessagingException {
    String security = target.setting("security");
    String username = target.setting("username");
    boolean auth = username != null && !username.isEmpty();
    boolean implicitTls = "tls".equals(security);
    String protocol = implicitTls ? "smtps" : "smtp";
    Properties props = new Properties();
    String p = "mail." + protocol + ".";
    props.put(p + "host", target.setting("host"));
    props.put(p + "port", target.setting("port"));
    props.put(p + "auth", Boolean.toString(auth));
    props.put(p + "connectiontimeout", Long.toString(timeout.toMillis()));
    props.put(p + "timeout", Long.toString(timeout.toMillis()));
    props.put(p + "writetimeout", Long.toString(timeout.toMillis()));
    if ("starttls".equals(security)) {
      props.put(p + "starttls.enable", "true");
      props.put(p + "starttls.required", "true");
    }
    if (implicitTls || "starttls".equals(security)) {
      props.put(p + "ssl.checkserveridentity", "true");
    }
    Session session = Session.getInstance(props);
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(target.setting("from"), true));
    message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(target.setting("to"), true));
    message.setSubject(AlertText.title(alert), "UTF-8");
    message.setText(AlertText.plain(alert), "UTF-8");
    message.setSentDate(new Date(alert.at()));
    try (Transport transport = session.getTransport(protocol)) {
      if (auth) {
        transport.connect(username, target.setting("password") == null ? "" : target.setting("password"));
      } else {
        transport.connect();
      }
      transport.sendMessage(message, message.getAllRecipients());
    }
  }
}
