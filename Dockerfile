# syntax=docker/dockerfile:1
# Multi-stage: build with the SDK, run on the ASP.NET runtime as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props Recs.sln appsettings.json ./
COPY Recs.Core/Recs.Core.csproj Recs.Core/
COPY Recs.Web/Recs.Web.csproj Recs.Web/
RUN dotnet restore Recs.Web/Recs.Web.csproj
COPY Recs.Core/ Recs.Core/
COPY Recs.Web/ Recs.Web/
# The Playwright driver is only for `bench --circuits` on a developer machine: not in the image.
RUN dotnet publish Recs.Web/Recs.Web.csproj -c Release -o /app --no-restore -p:PlaywrightPlatform=none

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# LightGBM's native library needs OpenMP.
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /data && chown app:app /data
USER app
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Recs__DataDirectory=/data
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["dotnet", "Recs.Web.dll"]
