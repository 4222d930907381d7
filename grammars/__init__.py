"""The Lark grammars of gongkai, shipped as package data (report.lark)."""
