using Recs.Web.Cli;

namespace Recs.Tests.Web.Cli;

public sealed class CliArgsTests
{
    [Fact]
    public void OptionsAreReadInBothSpellingsAndFlagsNeedNoValue()
    {
        var args = CliArgs.Parse(["cluster", "--library", "a.csv", "--use-recs-model=false", "--json"]);

        Assert.Equal("a.csv", args.Get("library"));
        Assert.False(args.Bool("use-recs-model", true));
        Assert.True(args.Json);
    }

    [Theory]
    [InlineData("--k", "abc", "--k: 'abc' is not a whole number from 2 to 50")]
    [InlineData("--k", "1", "--k: '1' is not a whole number from 2 to 50")]
    public void ABadNumberIsNamedInTheError(string option, string value, string message)
    {
        var args = CliArgs.Parse(["train", option, value]);

        var ex = Assert.Throws<CliUsageException>(() => args.Int("k", 8, 2, 50));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void AnUnknownOptionIsRejectedWithTheKnownOnes()
    {
        var args = CliArgs.Parse(["cluster", "--libary", "a.csv"]);

        var ex = Assert.Throws<CliUsageException>(() => args.EnsureOnly(["library"]));
        Assert.Contains("unknown option --libary", ex.Message);
        Assert.Contains("--library", ex.Message);
    }

    [Fact]
    public void ConfigurationKeysAreAcceptedByEveryVerbAndKeptApartFromItsOptions()
    {
        var args = CliArgs.Parse(["import-catalog", "--csv", "a.csv", "--Recs:Database:Provider=postgres",
            "--ConnectionStrings:Recs", "Host=db;Port=5432;Database=recs", "--csv-limit=C:/x"]);

        args.EnsureOnly(["csv", "csv-limit"]); // no "unknown option --Recs:…"
        Assert.Equal("postgres", args.Configuration["Recs:Database:Provider"]);
        Assert.Equal("Host=db;Port=5432;Database=recs", args.Configuration["ConnectionStrings:Recs"]);
        Assert.Equal("C:/x", args.Get("csv-limit"));
        Assert.False(args.Has("Recs:Database:Provider"));
    }

    [Fact]
    public void AConfigurationKeyWithoutAValueIsNamed()
    {
        var ex = Assert.Throws<CliUsageException>(() => CliArgs.Parse(["train", "--Recs:SeedDemo"]));
        Assert.Equal("configuration key --Recs:SeedDemo has no value: write --Recs:SeedDemo=value", ex.Message);
    }

    [Fact]
    public void TheHostReceivesTheConfigurationKeysButNotTheVerbsOptions()
    {
        var mapped = Recs.Web.RecsCommandLine.ToConfigurationArgs(
            ["--csv=/tmp/a:b.csv", "--Recs:Database:Provider=postgres", "--ConnectionStrings:Recs", "Host=x", "--data-dir", "d", "--json"]);

        Assert.Equal(["--Recs:Database:Provider=postgres", "--ConnectionStrings:Recs", "Host=x", "--Recs:DataDirectory=d"], mapped);
    }
}
