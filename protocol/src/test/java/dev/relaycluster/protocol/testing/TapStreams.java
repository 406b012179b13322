package dev.relaycluster.protocol.testing;

import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.sse.SseEvent;
import dev.relaycluster.protocol.util.Json;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Seeded event streams made from recorded ones for differential tests of the usage taps: each event's data may be
 * replaced by a {@link JsonVariants variant}, its {@code event:} line dropped (the type then comes from the data),
 * an event repeated or left out, and the line ends may be CRLF. Also the comparison itself: two taps fed the same
 * bytes must report the same.
 */
public final class TapStreams {

    private TapStreams() {
    }

    /** One stream made from a recorded one: its bytes, and the data of its events (for whole event JSONs). */
    public record Variant(byte[] stream, List<byte[]> data) {}

    /** {@code count} streams made from the recorded streams {@code fixtures} (classpath resources) in turn. */
    public static List<Variant> variants(List<String> fixtures, long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        JsonVariants variants = new JsonVariants(seed);
        List<List<SseEvent>> recorded = new ArrayList<>();
        for (String fixture : fixtures) {
            byte[] bytes = Fixtures.bytes(fixture);
            recorded.add(new SseDecoder().feed(bytes, 0, bytes.length));
        }
        List<Variant> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<SseEvent> events = recorded.get(i % recorded.size());
            String lineEnd = random.nextInt(5) == 0 ? "\r\n" : "\n";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<byte[]> datas = new ArrayList<>();
            for (SseEvent e : events) {
                int copies = random.nextInt(12) == 0 ? random.nextInt(3) : 1;
                for (int c = 0; c < copies; c++) {
                    if (e.event() != null && random.nextInt(10) != 0) {
                        out.writeBytes(("event: " + e.event() + lineEnd).getBytes(StandardCharsets.UTF_8));
                    }
                    byte[] data = e.data().getBytes(StandardCharsets.UTF_8);
                    if (random.nextInt(3) == 0 && Json.tryParse(data).isPresent()) {
                        data = variants.of(e.data());
                    }
                    datas.add(data);
                    out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
                    out.writeBytes(data);
                    out.writeBytes((lineEnd + lineEnd).getBytes(StandardCharsets.US_ASCII));
                }
            }
            streams.add(new Variant(out.toByteArray(), datas));
        }
        return streams;
    }

    /**
     * Feeds {@code variant} to a tap of each kind, once as the stream's bytes and once as its events' whole JSONs,
     * and fails unless they report the same model, usage, end, error type and JSON, event boundary, and whatever
     * {@code more} reads of them.
     */
    public static <A extends UsageTap, B extends UsageTap> void assertSame(Variant variant, Supplier<A> reference,
            Supplier<B> tap, Function<A, List<Object>> moreOfReference, Function<B, List<Object>> more) {
        A a = reference.get();
        a.feed(ByteBuffer.wrap(variant.stream()));
        B b = tap.get();
        b.feed(ByteBuffer.wrap(variant.stream()));
        String what = new String(variant.stream(), StandardCharsets.UTF_8);
        compare(a, b, moreOfReference, more, what);
        A wholeA = reference.get();
        B wholeB = tap.get();
        for (byte[] data : variant.data()) {
            wholeA.onEventJson(data.clone());
            wholeB.onEventJson(data.clone());
        }
        compare(wholeA, wholeB, moreOfReference, more, "(as whole event JSONs) " + what);
    }

    private static <A extends UsageTap, B extends UsageTap> void compare(A a, B b,
            Function<A, List<Object>> moreOfReference, Function<B, List<Object>> more, String what) {
        check("model", a.model(), b.model(), what);
        check("usage", a.usage(), b.usage(), what);
        check("end", a.sawEnd(), b.sawEnd(), what);
        check("error type", a.errorType(), b.errorType(), what);
        check("event boundary", a.atEventBoundary(), b.atEventBoundary(), what);
        check("more", moreOfReference.apply(a), more.apply(b), what);
        if (!Arrays.equals(a.errorJson(), b.errorJson())) {
            throw new AssertionError("the error JSON differs: "
                    + (a.errorJson() == null ? null : new String(a.errorJson(), StandardCharsets.UTF_8)) + " before, "
                    + (b.errorJson() == null ? null : new String(b.errorJson(), StandardCharsets.UTF_8))
                    + " now, in\n" + what);
        }
    }

    private static void check(String name, Object expected, Object actual, String stream) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError("the " + name + " differs: " + expected + " before, " + actual + " now, in\n"
                    + stream);
        }
    }
}
