using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Recs.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class FeatureServiceMissesAndAdminSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AdminSettings",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdminSettings", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "FeatureServiceMisses",
                columns: table => new
                {
                    TrackId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MissedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FeatureServiceMisses", x => x.TrackId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_FeatureServiceMisses_MissedAt",
                table: "FeatureServiceMisses",
                column: "MissedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AdminSettings");

            migrationBuilder.DropTable(
                name: "FeatureServiceMisses");
        }
    }
}
