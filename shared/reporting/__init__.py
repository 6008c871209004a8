"""The branch head's report: figures from the audit trail, rendered as one self-contained HTML."""
