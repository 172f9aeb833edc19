using System.Runtime.InteropServices;
using System.Text;
using Nuggets.Llama.Native;

namespace Nuggets.Llama.Generation;

/// <summary>One chat turn.</summary>
/// <param name="Role"><c>system</c>, <c>user</c> or <c>assistant</c>.</param>
/// <param name="Content">The text of the turn.</param>
public sealed record ChatMessage(string Role, string Content);

/// <summary>Renders chats with llama.cpp's built-in template engine (the model's own template, or a named one).</summary>
public static unsafe class ChatTemplate
{
    /// <summary>
    /// Renders <paramref name="messages"/>. <paramref name="template"/> is a built-in name (<c>chatml</c>, <c>llama2</c>,
    /// <c>llama3</c>, ...) or a template text; null uses the model's own.
    /// </summary>
    /// <exception cref="InvalidOperationException">No template given and the model has none, or llama.cpp does not know it.</exception>
    public static string Apply(LlamaModel model, IReadOnlyList<ChatMessage> messages, bool addAssistantPrompt, string? template = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(messages);
        var chosen = template ?? model.ChatTemplate
            ?? throw new InvalidOperationException($"The model {model.Path} has no chat template; name one (e.g. chatml).");

        var templateBytes = Encoding.UTF8.GetBytes(chosen + "\0");
        // The message structs hold raw pointers, so their strings stay pinned for the whole call.
        var handles = new List<GCHandle>();
        byte* Pin(string text)
        {
            var handle = GCHandle.Alloc(Encoding.UTF8.GetBytes(text + "\0"), GCHandleType.Pinned);
            handles.Add(handle);
            return (byte*)handle.AddrOfPinnedObject();
        }
        try
        {
            var native = new LlamaChatMessage[messages.Count];
            for (var i = 0; i < native.Length; i++)
            {
                native[i].Role = Pin(messages[i].Role);
                native[i].Content = Pin(messages[i].Content);
            }
            var capacity = Math.Max(256, 2 * messages.Sum(m => Encoding.UTF8.GetByteCount(m.Content) + 64));
            while (true)
            {
                var buffer = new byte[capacity];
                int length;
                fixed (byte* t = templateBytes)
                fixed (LlamaChatMessage* m = native)
                fixed (byte* b = buffer)
                {
                    length = LlamaNative.ChatApplyTemplate(t, m, (nuint)native.Length, addAssistantPrompt, b, buffer.Length);
                }
                if (length < 0)
                    throw new InvalidOperationException($"llama.cpp does not support the chat template '{Shorten(chosen)}'.");
                if (length <= buffer.Length) return Encoding.UTF8.GetString(buffer, 0, length);
                capacity = length;
            }
        }
        finally
        {
            foreach (var handle in handles) handle.Free();
        }
    }

    /// <summary>
    /// Whether <paramref name="template"/> (null: the model's own) renders a system turn. Some of llama.cpp's built-in
    /// templates have no system role and leave the turn out (e.g. <c>yandex</c>); others merge it into the first user
    /// turn themselves (e.g. <c>gemma</c>), which counts as rendering it. Found by rendering a probe turn.
    /// </summary>
    /// <exception cref="InvalidOperationException">No template given and the model has none, or llama.cpp does not know it.</exception>
    public static bool HasSystemRole(LlamaModel model, string? template = null)
    {
        const string probe = "system-turn-probe";
        var rendered = Apply(model, [new ChatMessage("system", probe), new ChatMessage("user", "user-turn-probe")], addAssistantPrompt: true, template);
        return rendered.Contains(probe, StringComparison.Ordinal);
    }

    private static string Shorten(string template) => template.Length <= 60 ? template : template[..60] + "...";
}
