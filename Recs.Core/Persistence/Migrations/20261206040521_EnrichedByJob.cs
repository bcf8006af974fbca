using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recs.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class EnrichedByJob : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "EnrichedByJobId",
                table: "CatalogTracks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_CatalogTracks_EnrichedByJobId",
                table: "CatalogTracks",
                column: "EnrichedByJobId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CatalogTracks_EnrichedByJobId",
                table: "CatalogTracks");

            migrationBuilder.DropColumn(
                name: "EnrichedByJobId",
                table: "CatalogTracks");
        }
    }
}
