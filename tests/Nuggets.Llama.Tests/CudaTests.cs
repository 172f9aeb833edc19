using Nuggets.Llama.Scoring;
using Nuggets.Core.Scoring;

namespace Nuggets.Llama.Tests;

public class CudaTests
{
    [Test]
    public void Offloaded_scoring_agrees_with_the_cpu()
    {
        var info = LlamaRuntime.Initialize();
        if (!info.Gpus.Any())
            Assert.Ignore($"No GPU device: llama.cpp loaded backends [{string.Join(", ", info.Backends)}]; the CUDA package is not restored or no GPU is present.");

        using var gpu = LlamaModel.Load(Models.Small(), gpuLayers: -1);
        using var cpu = LlamaModel.Load(Models.Small(), gpuLayers: 0);
        Assert.That(gpu.GpuLayers, Is.Not.EqualTo(0));
        var anchors = Texts.Alpaca(3, 0, 200).Select(r => Texts.Anchor(cpu.Tokenizer, r)).ToArray();
        var candidate = Texts.Candidate(cpu.Tokenizer, Texts.Alpaca(1, 40, 200)[0]);
        using var onGpu = new LlamaScoringEngine(gpu);
        using var onCpu = new LlamaScoringEngine(cpu);

        var g = onGpu.ScorePairs(anchors, [new PairRequest(candidate, [0, 1, 2])])[0].Sums;
        var c = onCpu.ScorePairs(anchors, [new PairRequest(candidate, [0, 1, 2])])[0].Sums;
        for (var i = 0; i < 3; i++) Assert.That(g[i].Sum, Is.EqualTo(c[i].Sum).Within(1e-2 * Math.Max(1, Math.Abs(c[i].Sum))));
    }
}
