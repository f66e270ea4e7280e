"""Dialogs of the workbench: ModalScreen subclasses, one per module.

Each returns its result through ``dismiss`` (None when cancelled); the screen that pushed it
acts on the result with ``app.act``. Dialogs read nothing from the project themselves: the
screen hands them what they show.
"""
