using Nuggets.Cli.Progress;
using Nuggets.Core.Pipeline;

namespace Nuggets.Cli.Tests;

/// <summary>Rate, ETA and the plain line, on a fake clock: pure arithmetic, no real time.</summary>
public sealed class ProgressArithmeticTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Test]
    public void The_rate_is_pairs_over_the_recent_window_and_the_eta_is_what_remains_at_that_rate()
    {
        var rate = new PairRate(S(30));
        rate.Observe(S(0), 0);
        Assert.That(rate.PerSecond, Is.Null, "one observation measures nothing");
        Assert.That(rate.Remaining(100), Is.Null);

        rate.Observe(S(10), 20);
        Assert.That(rate.PerSecond, Is.EqualTo(2.0));
        Assert.That(rate.Remaining(100), Is.EqualTo(S(50)));

        // The first 40 s went at 2 pairs/s, the window (30 s) now sees 5 pairs/s.
        rate.Observe(S(40), 80);
        rate.Observe(S(70), 230);
        Assert.That(rate.PerSecond, Is.EqualTo(5.0), "only the last 30 s count");
        Assert.That(rate.Remaining(50), Is.EqualTo(S(10)));
        Assert.That(rate.Remaining(0), Is.EqualTo(TimeSpan.Zero), "nothing left is no time left, rate or not");
    }

    [Test]
    public void A_call_longer_than_the_window_keeps_the_rate_measured_across_it()
    {
        var rate = new PairRate(S(30));
        rate.Observe(S(0), 0);
        rate.Observe(S(100), 50);
        Assert.That(rate.PerSecond, Is.EqualTo(0.5));
        rate.Observe(S(200), 150);
        Assert.That(rate.PerSecond, Is.EqualTo(1.0), "the newest observation before the window is its base");
    }

    [Test]
    public void No_pairs_in_the_window_or_a_reset_make_the_rate_unknown()
    {
        var rate = new PairRate(S(30));
        rate.Observe(S(0), 10);
        rate.Observe(S(5), 10);
        Assert.That(rate.PerSecond, Is.Null, "a stage that decodes nothing has no rate");
        rate.Observe(S(6), 16);
        Assert.That(rate.PerSecond, Is.EqualTo(1.0));
        rate.Reset();
        rate.Observe(S(7), 16);
        Assert.That(rate.PerSecond, Is.Null);
        rate.Observe(S(8), 10);
        Assert.That(rate.PerSecond, Is.Null, "a counter going back starts a new measurement");
    }

    [TestCase(0, 0, "100%")]
    [TestCase(0, 150, "0%")]
    [TestCase(149, 150, "99%")]
    [TestCase(150, 150, "100%")]
    public void Percentages_round_down_so_that_only_all_of_it_is_100(long done, long total, string expected) =>
        Assert.That(ProgressText.Percent(done, total), Is.EqualTo(expected));

    [Test]
    public void Plain_lines_state_rate_and_eta_from_pairs_and_the_finished_line_says_100_percent_and_the_time_taken()
    {
        var now = TimeSpan.Zero;
        var output = new StringWriter();
        var plain = new PlainProgress(S(5), () => now, output);
        static PipelineProgress At(string stage, long rows, long decoded, long? total) =>
            new(stage, rows, 10, decoded, total, 0, 0, 0, decoded, null);

        plain.Report(At("counting", 0, 0, null));
        plain.Report(At("scoring", 0, 0, 100));
        now = S(2);
        plain.Report(At("scoring", 1, 4, 100)); // within the interval: not printed, but measured
        now = S(10);
        plain.Report(At("scoring", 2, 20, 100));
        now = S(50);
        plain.Report(At("scoring", 10, 100, 100));
        plain.Report(At("done", 10, 100, 100));

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(5), output.ToString());
        Assert.That(lines[0], Does.Contain("pairs decoded 0/?,").And.Not.Contain("ETA"), "no total yet, so no time left");
        Assert.That(lines[1], Does.Contain("pairs decoded 0/100 (0%)").And.Contain("ETA ?"), "no rate measured yet");
        Assert.That(lines[2], Does.Contain("rows 2/10 (20%)").And.Contain("pairs decoded 20/100 (20%)").And.Contain($"rate {2.0:N2} pairs/s").And.Contain("ETA 0:00:40"));
        Assert.That(lines[3], Does.Contain("ETA 0:00:00"));
        Assert.That(lines[4], Does.StartWith("nuggets: done: rows 10/10 (100%), pairs decoded 100/100 (100%)").And.EndWith("elapsed 0:00:50")
            .And.Not.Contain("ETA").And.Not.Contain("--:--:--"));
    }
}
