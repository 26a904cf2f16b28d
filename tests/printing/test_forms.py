"""The 新沂 coordinator forms and the results summary print with their fixed labels."""

import pytest

from assessments.print_documents import RegistrationFormDoc, TownSummaryDoc
from printing.render import render_one
from staff.print_documents import DepartureReportDoc, LeaveSlipDoc
from tests.printing import samples
from tests.printing.conftest import page_texts, squash


def text_of(doc) -> str:
    texts = page_texts(render_one(doc))
    assert len(texts) == 1, "each form fits on one page"
    assert "第 1 页 共 1 页" in texts[0]
    return texts[0]


REGISTRATION_LABELS = [
    "新沂市人社基层平台协理员年度考核登记表",
    "姓名",
    "性别",
    "出生年月",
    "政治面貌",
    "文化程度",
    "工作单位",
    "考核等次",
    "个人总结（德、能、勤、绩、廉）",
    "镇（街道）社会事业服务中心意见",
    "市就业处意见",
    "人社局审核意见",
    "负责人签名",
    "盖章",
]
TOWN_SUMMARY_LABELS = [
    "新沂市人社基层平台协理员年度考核汇总表",
    "单位名称（盖章）",
    "现有协理员人数",
    "实有参加考核人数",
    "考核结果",
    "考核等次",
    "人数",
    "姓名",
    "优秀",
    "合格",
    "基本合格",
    "不合格",
    "镇（街道）社会事业服务中心意见",
    "市就业处意见",
    "市人社局意见",
    "说明：此表一式三份。",
    "单位负责人：",
    "填表人：",
    "联系电话：",
]
LEAVE_LABELS = [
    "姓名",
    "工作地点",
    "申请日期",
    "请假类别",
    "请假时间",
    "请假理由",
    "请假期间联系电话",
    "村（社区）负责人意见",
    "镇（街道）社会事业服务中心负责人意见",
]
DEPARTURE_LABELS = [
    "新沂市人社基层平台协理员离职呈报单",
    "拟离职人姓名",
    "性别",
    "出生年月",
    "政治面貌",
    "进本系统时间",
    "离职前所在单位",
    "工作岗位",
    "拟离职时间",
    "离职类别",
    "离职原因",
    "本人签名：",
    "个人需说明的事项或要求",
    "村（社区）意见",
    "镇（街道）社会事业服务中心负责人意见",
    "市就业处意见",
    "负责人签名：",
    "说明：1、离职类别填写“其他”的应在“离职原因”中作具体说明；",
    "2、离职人员需做好工作文件、资料、使用办公设备的移交，并停发工资、停止缴纳社会保险。",
    "装订线",
]


class TestRegistrationForm:
    @pytest.mark.parametrize("doc", [RegistrationFormDoc(), samples.registration()])
    def test_fixed_labels(self, doc):
        text = squash(text_of(doc))
        for label in REGISTRATION_LABELS:
            assert squash(label) in text, label

    def test_filled_values(self):
        text = squash(text_of(samples.registration()))
        for value in ("（2024）年度", "王小红", "1988年6月", "中共党员", "新安街道新华社区"):
            assert value in text, value
        assert "同意评为优秀。" in text and "李主任" in text and "2025年1月8日" in text


class TestTownSummary:
    @pytest.mark.parametrize("doc", [TownSummaryDoc(), samples.town_summary()])
    def test_fixed_labels(self, doc):
        text = squash(text_of(doc))
        for label in TOWN_SUMMARY_LABELS:
            assert squash(label) in text, label

    def test_counts_and_names_per_grade(self):
        lines = [line.replace(" ", "") for line in text_of(samples.town_summary()).splitlines()]
        assert "优秀2王小红、陈刚" in lines
        assert "基本合格1褚一" in lines
        assert "不合格0" in lines
        text = "".join(lines)
        assert "现有协理员人数12实有参加考核人数11" in text
        assert "单位负责人：李主任填表人：刘会计联系电话：0516-88921234" in text


class TestLeaveSlip:
    @pytest.mark.parametrize("doc", [LeaveSlipDoc(), samples.leave_slip()])
    def test_stub_and_slip_on_one_page_with_a_cut_line(self, doc):
        text = text_of(doc)
        flat = squash(text)
        assert "《新沂市人社基层平台协理员请假审批单》存根" in flat
        # the stub's heading, the slip's heading and the footer
        assert flat.count("新沂市人社基层平台协理员请假审批单") == 3
        for label in LEAVE_LABELS:
            assert flat.count(squash(label)) >= 2, label
        assert flat.count("姓名：") == 4  # the two signatures of each copy
        assert "注：此“存根”由镇（街道）社会事业服务中心存档，年终统一上交市就业处。" in flat
        assert "沿此虚线剪开" in flat
        assert "公章" in flat

    def test_the_chosen_category_is_ticked_on_both_copies(self):
        text = text_of(samples.leave_slip())
        row = "请假类别 □事假 ☑病假 □婚假 □产假 □丧假 □其他"
        assert text.count(row) == 2
        assert text.count("自 2024 年 3 月 4 日至 2024 年 3 月 6 日　共 3 天") == 2
        assert squash(text).count("姓名：李主任2024年3月2日") == 2

    def test_a_blank_slip_ticks_nothing(self):
        text = text_of(LeaveSlipDoc())
        assert "☑" not in text
        assert text.count("请假类别 □事假 □病假 □婚假 □产假 □丧假 □其他") == 2
        assert "自\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日至" in text


class TestDepartureReport:
    @pytest.mark.parametrize("doc", [DepartureReportDoc(), samples.departure_report()])
    def test_fixed_labels(self, doc):
        text = squash(text_of(doc))
        for label in DEPARTURE_LABELS:
            assert squash(label) in text, label

    def test_category_ticked_and_values(self):
        text = text_of(samples.departure_report())
        assert "□解除合同 □终止合同 ☑辞职 □辞退 □其他" in text
        flat = squash(text)
        for value in ("陈刚", "1990年11月", "2015年7月1日", "2024年9月30日", "考取事业编制。"):
            assert value in flat, value
        assert "负责人签名：赵处长2024年9月5日" in flat


class TestSummary:
    def test_columns_rows_and_totals(self):
        texts = page_texts(render_one(samples.summary()))
        text = texts[0]
        assert (
            "名次 单位 镇（街道） 自评得分 考核得分 加分 扣分 总分 一票否决 按分等次 等次 奖补比例 奖补金额（元）"
            in text
        )
        assert "1 淹城社区 湖塘镇 98 92.5 0 0 92.5 优秀 120% 12000" in text
        # moved down by the quota: 按分等次 优秀, 等次 合格
        assert "2 何留社区 湖塘镇 95 91 0 0 91 优秀 合格 100% 10000" in text
        assert "第 2 项「配备专职社区干事」 不合格 0% 0" in text
        assert "合计 共 3 个 22000" in text
        assert "等次分布：优秀 1 个；合格 1 个；不合格 1 个。" in text
