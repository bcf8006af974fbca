using Recs.Core;

namespace Recs.Tests.Core;

public sealed class StableHashTests
{
    // The published FNV-1a 32-bit test vectors (ASCII, so UTF-16 code units equal the bytes).
    [Theory]
    [InlineData("", 0x811c9dc5u)]
    [InlineData("a", 0xe40c292cu)]
    [InlineData("foobar", 0xbf9cf968u)]
    public void MatchesTheFnv1aTestVectors(string key, uint expected) => Assert.Equal(expected, StableHash.Fnv1a(key));

    [Fact]
    public void ASeededBasisGivesAnotherButRepeatableValue()
    {
        var seeded = StableHash.Fnv1a("foobar", StableHash.OffsetBasis ^ 42u);

        Assert.NotEqual(StableHash.Fnv1a("foobar"), seeded);
        Assert.Equal(seeded, StableHash.Fnv1a("foobar", StableHash.OffsetBasis ^ 42u));
    }
}
