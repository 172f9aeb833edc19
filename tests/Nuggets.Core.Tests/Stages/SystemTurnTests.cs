using Nuggets.Core.Stages;

namespace Nuggets.Core.Tests.Stages;

public sealed class SystemTurnTests
{
    [Test]
    public void System_text_opens_the_prompt_after_a_blank_line_and_no_text_leaves_it_alone()
    {
        Assert.That(SystemTurn.PrependTo("Rate this.", " Be strict.\n"), Is.EqualTo("Be strict.\n\nRate this."));
        Assert.That(SystemTurn.PrependTo("Rate this.", null), Is.EqualTo("Rate this."));
        Assert.That(SystemTurn.PrependTo("Rate this.", "  "), Is.EqualTo("Rate this."));
    }

    [Test]
    public void A_system_turn_is_part_of_the_cache_key_and_requests_without_one_keep_their_old_key()
    {
        var plain = new GenerationRequest("Rate this.", "model", 16, 0.5, 0, 1, 7);
        // Pinned: the key this request had before requests could carry a system turn, so existing caches stay valid.
        Assert.That(StageCalls.GenerationKey("m|b", plain), Is.EqualTo("82726f5701f2d69c8797949ccee517e6ea544edd3442928cc585d0e21286ff24"));
        Assert.That(StageCalls.GenerationKey("m|b", plain with { System = "Be strict." }), Is.Not.EqualTo(StageCalls.GenerationKey("m|b", plain)));
        Assert.That(StageCalls.GenerationKey("m|b", plain with { System = "" }), Is.Not.EqualTo(StageCalls.GenerationKey("m|b", plain)));
    }
}
