#include <core/template/template.h>
#include <core/template/templateast_p.h>
#include <core/template/templateparser_p.h>
#include <core/template/templaterenderer_p.h>
#include <exception>
#include <new>

namespace fb {

struct Template::Impl
{
    jinja::ParsedTemplate parsed;
};

namespace {

std::string located(const std::string &fileName, int line, const std::string &message)
{
    return fileName + ":" + std::to_string(line > 0 ? line : 1) + ": " + message;
}

} // namespace

Template::Template(std::shared_ptr<const Impl> impl)
    : d(std::move(impl))
{
}

Template::Template(const Template &) = default;
Template::Template(Template &&) noexcept = default;
Template &Template::operator=(const Template &) = default;
Template &Template::operator=(Template &&) noexcept = default;
Template::~Template() = default;

Result<Template> Template::parse(std::string_view source, std::string fileName)
{
    auto impl = std::make_shared<Impl>();
    impl->parsed.fileName = std::move(fileName);
    try {
        jinja::TemplateParser::parse(source, impl->parsed);
    } catch (const jinja::TemplateError &e) {
        return fail(ErrorCode::Parse, located(impl->parsed.fileName, e.line, e.message));
    } catch (const std::bad_alloc &) {
        return fail(ErrorCode::Parse, located(impl->parsed.fileName, 0, "out of memory"));
    } catch (const std::exception &e) {
        return fail(ErrorCode::Internal, located(impl->parsed.fileName, 0, e.what()));
    }
    return Template(std::shared_ptr<const Impl>(std::move(impl)));
}

Result<std::string> Template::render(const Value &context, const TemplateLimits &limits) const
{
    jinja::TemplateRenderer renderer(d->parsed, context, limits);
    try {
        return renderer.render();
    } catch (const jinja::TemplateError &e) {
        const int line = e.line > 0 ? e.line : renderer.currentLine();
        return fail(ErrorCode::Template, located(d->parsed.fileName, line, e.message));
    } catch (const std::bad_alloc &) {
        return fail(ErrorCode::Template,
                    located(d->parsed.fileName, renderer.currentLine(), "out of memory"));
    } catch (const std::exception &e) {
        return fail(ErrorCode::Internal,
                    located(d->parsed.fileName, renderer.currentLine(), e.what()));
    }
}

std::vector<std::string> Template::variables() const { return d->parsed.variables; }

const std::string &Template::fileName() const { return d->parsed.fileName; }

} // namespace fb
