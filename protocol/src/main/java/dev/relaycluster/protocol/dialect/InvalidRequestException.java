package dev.relaycluster.protocol.dialect;

/** A client request the relay rejects before forwarding; the message is meant for the API client. */
public final class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
