using System.Runtime.CompilerServices;

namespace Recs.Tests.TestSupport;

/// <summary>
/// The shipped appsettings.json turns the ReccoBeats features service on; tests must never reach the internet. Every
/// host a test starts (web app, CLI verbs) therefore sees <c>FeatureService:Provider=none</c> through the environment
/// unless the test configures a provider itself (pointing it at <c>FakeFeatureServer</c> on loopback).
/// </summary>
internal static class FeatureServiceOffByDefault
{
    [ModuleInitializer]
    internal static void TurnOff()
    {
        if (Environment.GetEnvironmentVariable("FeatureService__Provider") is null)
        {
            Environment.SetEnvironmentVariable("FeatureService__Provider", "none");
        }
    }
}
