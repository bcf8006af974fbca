using Recs.Web;
using Recs.Web.Cli;

if (CliRunner.IsVerb(args))
{
    return await CliRunner.RunAsync(args);
}

var app = RecsWebApp.Build(args);
await RecsWebApp.PrepareAsync(app);
await app.RunAsync();
return 0;
