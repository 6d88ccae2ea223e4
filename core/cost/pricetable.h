#pragma once

#include <core/common/result.h>
#include <core/cost/modelprice.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fb {

/// Prices per model (USD per 1M tokens) and the Azure deployment names mapped to models.
///
/// The built-in table is resources/pricing.json, compiled into the library. A workspace may
/// override it with `flowbench.pricing.json` or `.flowbench/pricing.json` (same shape, every
/// key optional): `models` entries add a model or replace the given fields of one, and
/// `deployments` maps deployment names (what an Azure connection sends as the model) to models.
///
/// File shape: {"version": int, "as_of": "YYYY-MM-DD", "currency": "USD", "models": {NAME:
/// {"provider", "input", "cached_input", "output", "cache_write"?, "aliases"?, "simulated"?,
/// "source"}}, "deployments": {NAME: MODEL}} plus free-form "notes"/"sources". Unknown keys are
/// errors (they are usually typos).
///
/// Failure: a load or merge names the file, line and field (`pricing.json:12: models.gpt-4o.input:
/// expected a number >= 0`); a merge that fails leaves the table unchanged.
/// Thread-safety: a plain value; const methods may be called concurrently.
class PriceTable
{
public:
    /// The table compiled into the library (parsed once, then copied).
    [[nodiscard]] static Result<PriceTable> builtin();
    /// A complete table from a file (version, as_of and models required).
    [[nodiscard]] static Result<PriceTable> load(const std::filesystem::path &path);
    /// A complete table from JSON text; `origin` names it in errors.
    [[nodiscard]] static Result<PriceTable> parse(std::string_view json, const std::string &origin);

    /// The workspace override file in `dir`: flowbench.pricing.json, else
    /// .flowbench/pricing.json; nullopt when neither exists.
    [[nodiscard]] static std::optional<std::filesystem::path>
    findWorkspaceOverride(const std::filesystem::path &dir);
    /// builtin() merged with findWorkspaceOverride(dir) when there is one.
    [[nodiscard]] static Result<PriceTable> forWorkspace(const std::filesystem::path &dir);

    /// Applies an override file (see the class comment). All or nothing.
    [[nodiscard]] Result<void> merge(const std::filesystem::path &overrideFile);
    /// Applies override JSON text; `origin` names it in errors. All or nothing.
    [[nodiscard]] Result<void> mergeJson(std::string_view json, const std::string &origin);
    /// Maps a deployment name to a model of the table (or any name find() resolves).
    [[nodiscard]] Result<void> mapDeployment(const std::string &deployment,
                                             const std::string &model);

    /// The price of `model`, matched in this order: a deployment name is first replaced by
    /// its model; then the exact name or an alias; then, step by step, without a dated or
    /// "-latest" suffix (gpt-4o-2024-08-06 -> gpt-4o, claude-sonnet-4-20250514 ->
    /// claude-sonnet-4, gpt-3.5-turbo-0125 -> gpt-3.5-turbo); then the same in lower case and
    /// without a "provider/" prefix; finally any "flowbench-sim:..." name matches the
    /// "flowbench-sim:*" entry. nullopt when nothing matches.
    [[nodiscard]] std::optional<ModelPrice> find(std::string_view model) const;

    [[nodiscard]] int version() const { return m_version; }
    [[nodiscard]] const std::string &asOf() const { return m_asOf; }
    /// Every entry, by key.
    [[nodiscard]] const std::map<std::string, ModelPrice> &models() const { return m_models; }
    [[nodiscard]] const std::map<std::string, std::string> &deployments() const
    {
        return m_deployments;
    }
    /// Where the table came from: the built-in or loaded file, then each merged override.
    [[nodiscard]] const std::vector<std::string> &origins() const { return m_origins; }

    /// The key of the entry every flowbench-sim model matches.
    static constexpr const char *kSimulatorEntry = "flowbench-sim:*";
    /// Override file names, in lookup order, relative to a workspace folder.
    static constexpr const char *kOverrideFile = "flowbench.pricing.json";
    static constexpr const char *kOverrideFileInFolder = ".flowbench/pricing.json";

private:
    /// Reads `json` into a copy of this table and, when it is valid, replaces this one.
    [[nodiscard]] Result<void> apply(std::string_view json, const std::string &origin,
                                     bool complete);
    /// find() without the deployment step.
    [[nodiscard]] const ModelPrice *lookupResolved(const std::string &name) const;
    [[nodiscard]] const ModelPrice *lookup(const std::string &name) const;
    void rebuildAliases();

    int m_version = 0;
    std::string m_asOf;
    std::map<std::string, ModelPrice> m_models;
    std::map<std::string, std::string> m_aliases; ///< alias -> model key
    std::map<std::string, std::string> m_deployments;
    std::vector<std::string> m_origins;
};

} // namespace fb
