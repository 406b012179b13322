package dev.relaycluster.usage;

import java.util.List;

/** One page of the request log; {@code nextOffset} is null on the last page. */
public record RequestPage(List<RequestLogRow> data, int offset, int limit, Integer nextOffset) {}
