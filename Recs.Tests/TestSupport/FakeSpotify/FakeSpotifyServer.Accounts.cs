using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Recs.Tests.TestSupport.FakeSpotify;

// The accounts service: authorization code flow with PKCE, refresh with rotation, client credentials.
public sealed partial class FakeSpotifyServer
{
    private IResult AuthorizeGet(HttpContext context)
    {
        var q = context.Request.Query;
        if (ValidateAuthorizeRequest(q["client_id"], q["redirect_uri"], q["response_type"], q["code_challenge_method"]) is { } problem)
        {
            return problem;
        }

        if (AutoConsent)
        {
            return Consent(q["client_id"]!, q["redirect_uri"]!, q["state"], q["scope"], q["code_challenge"], ConsentUserId, agree: true);
        }

        string H(string? s) => WebUtility.HtmlEncode(s ?? "");
        var users = Data.Users.Values.OrderBy(u => u.Id).Select(u =>
            $"<option value=\"{H(u.Id)}\"{(u.Id == ConsentUserId ? " selected" : "")}>{H(u.DisplayName)}</option>");
        var html = new StringBuilder()
            .Append("<!doctype html><html><head><title>Fake Spotify - Authorize</title></head><body>")
            .Append("<h1>Fake Spotify</h1><p>Allow <b>").Append(H(q["client_id"])).Append("</b> to access: ").Append(H(q["scope"])).Append("</p>")
            .Append("<form method=\"post\" action=\"/authorize\">")
            .Append("<input type=\"hidden\" name=\"client_id\" value=\"").Append(H(q["client_id"])).Append("\">")
            .Append("<input type=\"hidden\" name=\"redirect_uri\" value=\"").Append(H(q["redirect_uri"])).Append("\">")
            .Append("<input type=\"hidden\" name=\"state\" value=\"").Append(H(q["state"])).Append("\">")
            .Append("<input type=\"hidden\" name=\"scope\" value=\"").Append(H(q["scope"])).Append("\">")
            .Append("<input type=\"hidden\" name=\"code_challenge\" value=\"").Append(H(q["code_challenge"])).Append("\">")
            .Append("<label>User <select name=\"user_id\" id=\"user\">").AppendJoin("", users).Append("</select></label> ")
            .Append("<button type=\"submit\" name=\"decision\" value=\"agree\" id=\"agree\">Agree</button> ")
            .Append("<button type=\"submit\" name=\"decision\" value=\"cancel\" id=\"cancel\">Cancel</button>")
            .Append("</form></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private async Task<IResult> AuthorizePost(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (ValidateAuthorizeRequest(form["client_id"], form["redirect_uri"], "code", "S256") is { } problem)
        {
            return problem;
        }

        var userId = form["user_id"].ToString() is { Length: > 0 } u ? u : ConsentUserId;
        return Consent(form["client_id"]!, form["redirect_uri"]!, form["state"], form["scope"], form["code_challenge"], userId, form["decision"] == "agree");
    }

    private IResult? ValidateAuthorizeRequest(string? clientId, string? redirectUri, string? responseType, string? challengeMethod)
    {
        if (clientId != ClientId)
        {
            return Results.Content("INVALID_CLIENT: Invalid client", "text/plain", statusCode: 400);
        }

        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var redirect) || !IsAllowedRedirect(redirect) ||
            (RedirectUris.Count > 0 && !RedirectUris.Contains(redirectUri!)))
        {
            return Results.Content("INVALID_CLIENT: Invalid redirect URI", "text/plain", statusCode: 400);
        }

        if (responseType != "code")
        {
            return Results.Redirect(QueryHelpers.AddQueryString(redirectUri!, "error", "unsupported_response_type"));
        }

        if (!string.IsNullOrEmpty(challengeMethod) && challengeMethod != "S256")
        {
            return Results.Redirect(QueryHelpers.AddQueryString(redirectUri!, "error", "invalid_request"));
        }

        return null;
    }

    // Since 2025-11-27: https, or http only on a loopback IP literal (never "localhost").
    private static bool IsAllowedRedirect(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps ||
        (uri.Scheme == Uri.UriSchemeHttp && uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.IsLoopback(IPAddress.Parse(uri.Host.Trim('[', ']'))));

    private IResult Consent(string clientId, string redirectUri, string? state, string? scope, string? challenge, string? userId, bool agree)
    {
        var parameters = new Dictionary<string, string?>();
        if (!agree || userId is null || !Data.Users.ContainsKey(userId))
        {
            parameters["error"] = "access_denied";
        }
        else
        {
            var code = NewSecret("code-");
            _codes[code] = new AuthorizationCode(userId, clientId, redirectUri, scope ?? "", string.IsNullOrEmpty(challenge) ? null : challenge,
                Time.GetUtcNow().AddMinutes(10));
            parameters["code"] = code;
        }

        if (state is not null)
        {
            parameters["state"] = state;
        }

        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, parameters));
    }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            return TokenError("invalid_request", "Content-Type must be application/x-www-form-urlencoded");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var grant = form["grant_type"].ToString();
        TokenGrants.Enqueue(grant);

        // Both client-auth styles: Basic header (Spotify's docs) and form fields (ASP.NET Core's OAuth handler).
        string? clientId = form["client_id"];
        string? secret = form["client_secret"];
        var auth = context.Request.Headers.Authorization.ToString();
        if (auth.StartsWith("Basic ", StringComparison.Ordinal))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth["Basic ".Length..].Trim()));
            }
            catch (FormatException)
            {
                return TokenError("invalid_client", "Invalid client", 400);
            }

            var colon = decoded.IndexOf(':');
            clientId = colon < 0 ? decoded : decoded[..colon];
            secret = colon < 0 ? null : decoded[(colon + 1)..];
        }

        if (clientId != ClientId || (secret is not null && secret != ClientSecret))
        {
            return TokenError("invalid_client", "Invalid client", 400);
        }

        var now = Time.GetUtcNow();
        switch (grant)
        {
            case "authorization_code":
            {
                var codeValue = form["code"].ToString();
                if (!_codes.TryRemove(codeValue, out var code) || code.ExpiresAt < now || code.ClientId != clientId)
                {
                    return TokenError("invalid_grant", "Invalid authorization code");
                }

                if (code.RedirectUri != form["redirect_uri"])
                {
                    return TokenError("invalid_grant", "Invalid redirect URI");
                }

                var verifier = form["code_verifier"].ToString();
                if (code.Challenge is not null)
                {
                    if (verifier.Length is < 43 or > 128 || Sha256Base64Url(verifier) != code.Challenge)
                    {
                        return TokenError("invalid_grant", "code_verifier was incorrect");
                    }
                }
                else if (secret is null)
                {
                    return TokenError("invalid_client", "Invalid client secret");
                }

                var issued = IssueTokens(code.UserId, clientId!, code.Scope, now, withRefresh: true, pkce: code.Challenge is not null);
                return TokenJson(issued);
            }

            case "refresh_token":
            {
                var value = form["refresh_token"].ToString();
                if (!_refreshTokens.TryGetValue(value, out var refresh) || refresh.ClientId != clientId)
                {
                    return TokenError("invalid_grant", "Invalid refresh token");
                }

                if (refresh.Revoked)
                {
                    return TokenError("invalid_grant", "Refresh token revoked");
                }

                if (now - refresh.AuthorizedAt > ConsentLifetime)
                {
                    return TokenError("invalid_grant", "Refresh token expired");
                }

                if (secret is null && !refresh.Pkce)
                {
                    return TokenError("invalid_client", "Invalid client secret");
                }

                string? newRefresh = null;
                if (RotateRefreshTokens)
                {
                    _refreshTokens[value] = refresh with { Revoked = true };
                    newRefresh = NewSecret("rt-");
                    _refreshTokens[newRefresh] = refresh with { Revoked = false };
                }

                var access = NewSecret("at-");
                _accessTokens[access] = new AccessToken(refresh.UserId, clientId!, refresh.Scope, now + AccessTokenLifetime, 0);
                return TokenJson(new FakeTokenResponse(access, newRefresh, (int)AccessTokenLifetime.TotalSeconds, refresh.Scope));
            }

            case "client_credentials":
            {
                if (secret is null)
                {
                    return TokenError("invalid_client", "Invalid client secret");
                }

                var access = NewSecret("at-app-");
                _accessTokens[access] = new AccessToken(null, clientId!, "", now + AccessTokenLifetime, 0);
                return TokenJson(new FakeTokenResponse(access, null, (int)AccessTokenLifetime.TotalSeconds, ""));
            }

            default:
                return TokenError("unsupported_grant_type", $"grant_type must be client_credentials, authorization_code or refresh_token");
        }
    }

    private FakeTokenResponse IssueTokens(string userId, string clientId, string scope, DateTimeOffset now, bool withRefresh, bool pkce = false)
    {
        var access = NewSecret("at-");
        _accessTokens[access] = new AccessToken(userId, clientId, scope, now + AccessTokenLifetime, 0);
        string? refresh = null;
        if (withRefresh)
        {
            refresh = NewSecret("rt-");
            _refreshTokens[refresh] = new RefreshToken(userId, clientId, scope, now, Revoked: false, pkce);
        }

        return new FakeTokenResponse(access, refresh, (int)AccessTokenLifetime.TotalSeconds, scope);
    }

    private static IResult TokenJson(FakeTokenResponse t)
    {
        var body = new Dictionary<string, object?>
        {
            ["access_token"] = t.AccessToken,
            ["token_type"] = "Bearer",
            ["scope"] = t.Scope,
            ["expires_in"] = t.ExpiresIn,
        };
        if (t.RefreshToken is not null)
        {
            body["refresh_token"] = t.RefreshToken;
        }

        return Results.Json(body, Json);
    }

    private static IResult TokenError(string error, string description, int status = 400) =>
        Results.Json(new Dictionary<string, object?> { ["error"] = error, ["error_description"] = description }, Json, statusCode: status);
}
