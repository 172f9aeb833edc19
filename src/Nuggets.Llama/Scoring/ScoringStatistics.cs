namespace Nuggets.Llama.Scoring;

/// <summary>Running totals of what the engine did, for benchmarks and progress reports.</summary>
public sealed class ScoringStatistics
{
    /// <summary><c>llama_decode</c> calls.</summary>
    public long DecodeCalls { get; internal set; }

    /// <summary>Tokens submitted to <c>llama_decode</c> (candidates once each when shared, anchors every time).</summary>
    public long TokensDecoded { get; internal set; }

    /// <summary>Logit rows read (one per scored token, plus a candidate's last token when an anchor needs it).</summary>
    public long OutputsRead { get; internal set; }

    /// <summary>Time inside <c>llama_decode</c>.</summary>
    public TimeSpan DecodeTime { get; internal set; }

    /// <summary>Time computing log-softmax on the read rows.</summary>
    public TimeSpan LogSoftmaxTime { get; internal set; }

    /// <summary>Starts the totals again.</summary>
    public void Reset()
    {
        DecodeCalls = 0;
        TokensDecoded = 0;
        OutputsRead = 0;
        DecodeTime = TimeSpan.Zero;
        LogSoftmaxTime = TimeSpan.Zero;
    }
}
