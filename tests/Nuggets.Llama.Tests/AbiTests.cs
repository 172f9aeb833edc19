using System.Diagnostics;
using System.Runtime.InteropServices;
using Nuggets.Llama.Native;

namespace Nuggets.Llama.Tests;

/// <summary>
/// The C# struct layouts must match the pinned llama.h exactly (the params structs and llama_batch pass by value,
/// so one wrong field corrupts every call). A C program compiled against artifacts/native/include prints what the
/// compiler says; the managed layout must agree field by field.
/// </summary>
public class AbiTests
{
    private static readonly (Type Managed, string C, (string Managed, string C)[] Fields)[] Structs =
    [
        (typeof(LlamaModelParams), "struct llama_model_params",
        [
            ("Devices", "devices"), ("TensorBuftOverrides", "tensor_buft_overrides"), ("NGpuLayers", "n_gpu_layers"),
            ("SplitMode", "split_mode"), ("LoadMode", "load_mode"), ("LazyMode", "lazy_mode"), ("MainGpu", "main_gpu"),
            ("TensorSplit", "tensor_split"), ("ProgressCallback", "progress_callback"),
            ("ProgressCallbackUserData", "progress_callback_user_data"), ("KvOverrides", "kv_overrides"),
            ("VocabOnly", "vocab_only"), ("CheckTensors", "check_tensors"), ("UseExtraBufts", "use_extra_bufts"),
            ("NoHost", "no_host"), ("NoAlloc", "no_alloc"), ("LoadMtp", "load_mtp"),
        ]),
        (typeof(LlamaContextParams), "struct llama_context_params",
        [
            ("NCtx", "n_ctx"), ("NBatch", "n_batch"), ("NUbatch", "n_ubatch"), ("NSeqMax", "n_seq_max"), ("NRsSeq", "n_rs_seq"),
            ("NOutputsMax", "n_outputs_max"), ("NOutputsMaxPerSeq", "n_outputs_max_per_seq"), ("NThreads", "n_threads"),
            ("NThreadsBatch", "n_threads_batch"), ("ContextType", "ctx_type"), ("RopeScalingType", "rope_scaling_type"),
            ("PoolingType", "pooling_type"), ("AttentionType", "attention_type"), ("FlashAttnType", "flash_attn_type"),
            ("RopeFreqBase", "rope_freq_base"), ("RopeFreqScale", "rope_freq_scale"), ("YarnExtFactor", "yarn_ext_factor"),
            ("YarnAttnFactor", "yarn_attn_factor"), ("YarnBetaFast", "yarn_beta_fast"), ("YarnBetaSlow", "yarn_beta_slow"),
            ("YarnOrigCtx", "yarn_orig_ctx"), ("DefragThreshold", "defrag_thold"), ("CbEval", "cb_eval"),
            ("CbEvalUserData", "cb_eval_user_data"), ("TypeK", "type_k"), ("TypeV", "type_v"),
            ("AbortCallback", "abort_callback"), ("AbortCallbackData", "abort_callback_data"), ("Embeddings", "embeddings"),
            ("OffloadKqv", "offload_kqv"), ("NoPerf", "no_perf"), ("OpOffload", "op_offload"), ("SwaFull", "swa_full"),
            ("KvUnified", "kv_unified"), ("Samplers", "samplers"), ("NSamplers", "n_samplers"), ("ContextOther", "ctx_other"),
        ]),
        (typeof(LlamaBatchNative), "struct llama_batch",
        [
            ("NTokens", "n_tokens"), ("Token", "token"), ("Embd", "embd"), ("Pos", "pos"), ("NSeqId", "n_seq_id"),
            ("SeqId", "seq_id"), ("Logits", "logits"),
        ]),
        (typeof(LlamaSamplerChainParams), "struct llama_sampler_chain_params", [("NoPerf", "no_perf")]),
        (typeof(LlamaChatMessage), "struct llama_chat_message", [("Role", "role"), ("Content", "content")]),
    ];

    private static Dictionary<string, long> CompilerLayout()
    {
        var include = Path.Combine(TestPaths.RepoRoot, "artifacts", "native", "include");
        if (!File.Exists(Path.Combine(include, "llama.h")))
            Assert.Fail($"llama.h is missing from {include}: run eng/restore-native.sh first.");

        var source = new System.Text.StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include \"llama.h\"\nint main(void) {\n");
        foreach (var (_, c, fields) in Structs)
        {
            source.Append($"  printf(\"{c}=%zu\\n\", sizeof({c}));\n");
            foreach (var (_, field) in fields)
                source.Append($"  printf(\"{c}.{field}=%zu\\n\", offsetof({c}, {field}));\n");
        }
        source.Append("  return 0;\n}\n");

        var directory = TestPaths.NewTempDirectory("abi");
        var file = Path.Combine(directory, "layout.c");
        var program = Path.Combine(directory, "layout");
        File.WriteAllText(file, source.ToString());
        Run("gcc", $"-std=c11 -I \"{include}\" -o \"{program}\" \"{file}\"", "gcc failed (is gcc installed? are the headers from eng/restore-native.sh?)");
        return Run(program, "", "the layout program failed")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('='))
            .ToDictionary(p => p[0], p => long.Parse(p[1]));
    }

    private static string Run(string file, string arguments, string failure)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) Assert.Fail($"{failure}: {error}");
        return output;
    }

    [Test]
    public void Managed_struct_layouts_match_the_pinned_llama_h()
    {
        var c = CompilerLayout();
        Assert.Multiple(() =>
        {
            foreach (var (managed, name, fields) in Structs)
            {
                Assert.That(Marshal.SizeOf(managed), Is.EqualTo(c[name]), $"sizeof({name})");
                foreach (var (field, cField) in fields)
                    Assert.That((long)Marshal.OffsetOf(managed, field), Is.EqualTo(c[$"{name}.{cField}"]), $"offsetof({name}, {cField})");
                // Every managed field must be checked, so a field added on one side only is caught.
                Assert.That(managed.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public).Length,
                    Is.EqualTo(fields.Length), $"fields of {managed.Name}");
            }
        });
    }
}
