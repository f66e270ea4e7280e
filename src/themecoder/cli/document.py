"""`themecoder document ACTION`: list the documents; set a document's participant, rename it,
delete it. Each change is one undoable action (`themecoder undo`)."""
from __future__ import annotations

from themecoder.cli.common import (
    Commands,
    blind_option,
    confirm,
    emit_json,
    exclusive,
    json_option,
    option,
    project_argument,
    run_action,
    seen_coder,
)

commands = Commands()
register = commands.register
document_cmd = commands.group(
    "document", dest="document_command", runner=run_action, required=True,
    help="documents: list, set-participant, rename, delete (each undoable)")


@document_cmd.command("list", project_argument, json_option, blind_option,
                      help="documents with their participant, words and codings")
def list_documents(project, args) -> None:
    from themecoder.core import views

    rows = views.document_overview(project, coder=seen_coder(project, args))
    if args.json:
        emit_json([{"id": r.id, "title": r.title, "participant": r.participant, "words": r.words,
                    "codings": r.codings} for r in rows])
        return
    for r in rows:
        print(f"{r.title}\t{r.participant or '—'}\t{r.words} words\t{r.codings} codings")
    if not rows:
        print("no documents yet: `themecoder import PROJECT FILES…`")


@document_cmd.command(
    "set-participant", project_argument, option("document", help="title, file name or id"),
    option("participant", nargs="?", help="an existing participant's pseudonym (or id)"),
    exclusive(option("--new", metavar="NAME", help="a new participant with this pseudonym"),
              option("--none", action="store_true", help="the document has no participant")),
    help="set or change the participant (informant) of a document")
def set_participant(project, args) -> None:
    from themecoder.core import documents
    from themecoder.errors import UserError

    given = [x for x in (args.participant is not None, args.new is not None, args.none) if x]
    if len(given) != 1:
        raise UserError("give one of: an existing participant, --new NAME, or --none")
    doc = documents.assign_participant(project, args.document, args.participant, new=args.new)
    name = None
    if doc.participant_id:
        from themecoder.core import views

        name = views.participant_names(project).get(doc.participant_id)
    print(f"{doc.title}: participant {name or '(none)'}; `themecoder undo` changes it back")


@document_cmd.command("rename", project_argument, option("document", help="title, file name or id"),
                      option("title", help="the new title"), help="give a document a new title")
def rename(project, args) -> None:
    from themecoder.core import documents, resolve

    old = resolve.document(project, args.document)
    doc = documents.rename_document(project, old.id, args.title)
    print(f"renamed «{old.title}» → «{doc.title}»")


@document_cmd.command("delete", project_argument, option("document", help="title, file name or id"),
                      option("--yes", action="store_true", help="do not ask"),
                      help="delete a document with its codings and memos (undoable)")
def delete(project, args) -> None:
    from themecoder.core import documents

    impact = documents.delete_impact(project, args.document)
    n = impact.codings
    confirm(f"Delete «{impact.document.title}» with {n} coding{'' if n == 1 else 's'}? "
            "(undo brings it back)", args.yes)
    documents.delete_document(project, impact.document.id)
    print(f"deleted «{impact.document.title}» ({n} coding{'' if n == 1 else 's'}); `themecoder undo` restores it")
