"""The recovery assistant: from "CCUSにログインできない" to the one next step; the handover."""
