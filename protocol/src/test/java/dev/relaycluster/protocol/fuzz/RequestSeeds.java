package dev.relaycluster.protocol.fuzz;

import java.util.List;

/**
 * Small, realistic request bodies of each client dialect, the fuzzers' starting points (kept under 4 kB so the
 * fuzzer's inputs stay small and fast).
 */
final class RequestSeeds {
  private RequestSeeds() {}

  static final List<String> ANTHROPIC = List.of(
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"stream\":true,\"messages\":[{\"role\":\"user\","
          + "\"content\":\"hi\"}]}",
      "{\"model\":\"claude-opus-4-1\",\"max_tokens\":32000,\"stream\":true,\"metadata\":{\"user_id\":"
          + "\"user_abc_account_def_session_0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0\"},\"system\":[{\"type\":\"text\","
          + "\"text\":\"x-anthropic-billing-header: cc_version=2.0\"},{\"type\":\"text\",\"text\":\"You are Claude "
          + "Code.\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":"
          + "4000},\"tools\":[{\"name\":\"Bash\",\"description\":\"run\",\"input_schema\":{\"type\":\"object\","
          + "\"properties\":{\"command\":{\"type\":\"string\"}},\"required\":[\"command\"]}}],\"tool_choice\":{\"type\":"
          + "\"auto\"},\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"list files\"}]},"
          + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"c2ln\"},"
          + "{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}}]},{\"role\":"
          + "\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01\",\"content\":[{\"type\":"
          + "\"text\",\"text\":\"a.txt\"}],\"is_error\":false},{\"type\":\"image\",\"source\":{\"type\":\"base64\","
          + "\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}]}],\"temperature\":1,\"stop_sequences\":[\"END\"]}",
      "{\"model\":\"claude-haiku-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"count me\"}],\"system\":\"s\"}",
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"output_format\":{\"type\":\"json_schema\",\"schema\":"
          + "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}},\"messages\":[{\"role\":\"user\","
          + "\"content\":\"json\"},{\"role\":\"assistant\",\"content\":\"{\"}]}");

  static final List<String> RESPONSES = List.of(
      "{\"model\":\"gpt-5-codex\",\"instructions\":\"You are Codex.\",\"input\":[{\"type\":\"message\",\"role\":"
          + "\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]}],\"stream\":true,\"store\":false,"
          + "\"prompt_cache_key\":\"0b1c2d3e-4f50\",\"reasoning\":{\"effort\":\"medium\",\"summary\":\"auto\"},"
          + "\"include\":[\"reasoning.encrypted_content\"],\"tools\":[{\"type\":\"function\",\"name\":\"shell\","
          + "\"parameters\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"array\",\"items\":{\"type\":"
          + "\"string\"}}}},\"strict\":false}],\"tool_choice\":\"auto\",\"parallel_tool_calls\":false}",
      "{\"model\":\"gpt-5\",\"input\":\"hello\",\"max_output_tokens\":100}",
      "{\"model\":\"gpt-5\",\"input\":[{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[{\"type\":\"summary_text\","
          + "\"text\":\"s\"}],\"encrypted_content\":\"e\"},{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":"
          + "\"shell\",\"arguments\":\"{\\\"command\\\":[\\\"ls\\\"]}\"},{\"type\":\"function_call_output\",\"call_id\":"
          + "\"call_1\",\"output\":\"a.txt\"},{\"type\":\"custom_tool_call\",\"call_id\":\"c2\",\"name\":\"apply_patch\","
          + "\"input\":\"*** Begin Patch\"},{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"image_url\":"
          + "\"data:image/png;base64,iVBORw0KGgo=\"}]}],\"tools\":[{\"type\":\"custom\",\"name\":\"apply_patch\","
          + "\"format\":{\"type\":\"grammar\",\"syntax\":\"lark\",\"definition\":\"start: x\"}}],\"text\":{\"format\":"
          + "{\"type\":\"json_schema\",\"name\":\"o\",\"schema\":{\"type\":\"object\"}}},\"stream\":false}");

  static final List<String> CHAT = List.of(
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":"
          + "\"hi\"}],\"stream\":true,\"stream_options\":{\"include_usage\":true},\"max_tokens\":50}",
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"look\"},"
          + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]},{\"role\":"
          + "\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":"
          + "{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"call_1\","
          + "\"content\":\"ok\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":"
          + "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}}}],\"tool_choice\":{\"type\":"
          + "\"function\",\"function\":{\"name\":\"f\"}},\"max_completion_tokens\":200,\"reasoning_effort\":\"low\","
          + "\"response_format\":{\"type\":\"json_object\"},\"n\":1,\"stop\":[\"x\"],\"user\":\"u\"}");

  static final List<String> GEMINI = List.of(
      "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],\"generationConfig\":{\"maxOutputTokens\":"
          + "100,\"temperature\":0.5,\"thinkingConfig\":{\"thinkingBudget\":512,\"includeThoughts\":true}}}",
      "{\"systemInstruction\":{\"parts\":[{\"text\":\"s\"}]},\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":"
          + "\"weather?\"},{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}]},{\"role\":\"model\","
          + "\"parts\":[{\"functionCall\":{\"name\":\"get\",\"args\":{\"city\":\"Paris\"}},\"thoughtSignature\":\"c2ln\"}]},"
          + "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"get\",\"response\":{\"t\":20}}}]}],"
          + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"get\",\"parameters\":{\"type\":\"OBJECT\",\"properties\":"
          + "{\"city\":{\"type\":\"STRING\"}}}}]}],\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"AUTO\"}},"
          + "\"generationConfig\":{\"responseMimeType\":\"application/json\",\"stopSequences\":[\"x\"]}}");

  static final List<String> CODE_ASSIST = List.of(
      "{\"model\":\"gemini-2.5-pro\",\"project\":\"p-123\",\"user_prompt_id\":\"u1\",\"request\":{\"contents\":[{\"role\":"
          + "\"user\",\"parts\":[{\"text\":\"hi\"}]}],\"session_id\":\"0b1c2d3e\",\"generationConfig\":"
          + "{\"maxOutputTokens\":100}}}",
      "{\"request\":{\"model\":\"models/gemini-2.5-flash\",\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":"
          + "\"count\"}]}]}}",
      "{\"cloudaicompanionProject\":\"p-123\",\"metadata\":{\"ideType\":\"IDE_UNSPECIFIED\",\"pluginType\":\"GEMINI\"}}");
}
