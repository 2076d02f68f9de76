"""extractor: Chinese government information-disclosure annual reports
(政府信息公开工作年度报告) into validated data."""

__version__ = "0.1.0"
