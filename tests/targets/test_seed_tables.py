"""Each seed table, imported as an office would send it: every value and every total.

Expected numbers are typed from the documents in /work/shared/seeds, not from the code.
"""

import pytest

from org.models import Unit
from targets.demo import load_demo_units
from targets.importing import commit_import, preview_import
from targets.models import Indicator
from tests.targets.helpers import FIXTURES, D, allocations


@pytest.fixture
def demo_units(db):
    load_demo_units()


def imported(file_name, year, **options):
    path = FIXTURES / file_name
    preview = preview_import(data=path.read_bytes(), file_name=file_name, year=year, **options)
    assert preview.errors == []
    commit_import(preview=preview)
    return preview


def column_sum(values, indicator, index=0):
    return sum(v[index] for (u, i), v in values.items() if i == indicator)


HUTANG = {  # 湖塘 附件1: 社保扩面人数, 公积金扩面人数
    "周家巷社区": (60, 70), "淹城社区": (40, 50), "何留社区": (5, 5), "湖塘社区": (5, 5),
    "华家社区": (85, 95), "马家巷社区": (80, 95), "沙塘岸社区": (15, 25), "烈帝社区": (5, 5),
    "蒋公岸社区": (40, 55), "张家坝社区": (30, 40), "北庙桥社区": (50, 60), "江村社区": (30, 40),
    "东新社区": (85, 95), "三勤社区": (85, 95), "东升社区": (70, 80), "龙潭社区": (5, 5),
    "北街社区": (5, 5), "南街社区": (5, 5), "花园社区": (5, 5), "花东社区": (5, 5),
    "东方社区": (5, 5), "湾里社区": (5, 5), "中凉社区": (5, 5), "降子社区": (5, 5),
    "南都社区": (5, 5), "聚湖社区": (20, 30), "夏雷社区": (5, 5), "新天地社区": (5, 5),
    "长安蒋湾社区": (5, 5), "长安大巷社区": (5, 5), "采菱社区": (80, 90), "长虹社区": (85, 95),
    "东华社区": (85, 95), "南田社区": (20, 30), "鸣南社区": (20, 30), "鸣北社区": (25, 35),
    "丰乐社区": (5, 5), "大学新村一社区": (5, 5), "大学新村二社区": (55, 85), "永安社区": (10, 15),
    "晓柳社区": (80, 95), "永定社区": (5, 5), "府南社区": (5, 5), "府东社区": (5, 5),
}  # fmt: skip

RUGAO_TOWNS = [
    "如皋工业园区", "经济技术开发区", "高新区", "长江镇", "东陈镇", "丁堰镇", "白蒲镇",
    "下原镇", "九华镇", "石庄镇", "吴窑镇", "磨头镇", "江安镇", "搬经镇",
]  # fmt: skip
RUGAO_1 = {
    "职工社会保险净增人数（五险扩面）": (6000, [1390, 1150, 500, 1275, 180, 200, 255, 75, 180, 180, 110, 95, 180, 230]),
    "城乡居民医保参保缴费人数": (980000, [104000, 105000, 47000, 101000, 57000, 34000, 86000, 45500, 50000, 58000, 47500, 60000, 84500, 100500]),
    "居民养老保险 / 参保缴费人数": (320000, [20100, 32410, 17700, 23170, 22890, 10790, 30390, 17470, 21100, 19780, 18340, 21720, 28210, 35930]),
    "居民养老保险 / 保费金额": (19200, [1206, 1945, 1062, 1390, 1373, 648, 1823, 1048, 1266, 1187, 1100, 1303, 1693, 2156]),
}  # fmt: skip
RUGAO_2 = {  # name: (measure, total, total sub, towns, town subs)
    "新增就业": ("人", 8000, None, [1850, 1530, 650, 1700, 250, 250, 340, 100, 250, 250, 150, 120, 250, 310], None),
    "就业援助服务（重点群体就业）": ("%", 100, None, [100] * 14, None),
    "人力资源服务 / 服务企业用工（面）": ("%", 100, None, [100] * 14, None),
    "人力资源服务 / 劳动力（回）外引": ("人", 6000, None, [1030, 1030, 640, 1030, 260, 260, 330, 90, 260, 260, 110, 110, 260, 330], None),
    "创业服务 / 新增创业项目": ("个", 46, None, [4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3], None),
    "创业服务 / 新增创业人数": ("人", 2500, None, [260, 260, 170, 260, 140, 170, 170, 140, 140, 170, 140, 140, 170, 170], None),
    "技能提升培训": ("人", 15000, 7500,
        [2600, 2700, 2500, 3000, 450, 450, 500, 300, 450, 450, 300, 300, 500, 500],
        [1400, 1500, 1300, 1600, 170, 170, 220, 100, 160, 170, 100, 170, 220, 220]),
    "高技能人才培训": ("人", 6500, 3000,
        [1150, 1150, 1150, 1250, 200, 200, 210, 130, 180, 200, 130, 130, 210, 210],
        [610, 610, 530, 610, 70, 70, 70, 50, 70, 70, 50, 50, 70, 70]),
    "职业技能鉴定统考人数": ("人", 400, None, [65, 65, 65, 65] + [14] * 10, None),
    "高技能人才建设项目申报完成率": ("%", 100, None, [100] * 14, None),
}  # fmt: skip

XINJIAN_INDICATORS = [
    "新增城镇就业", "新增转移农村劳动力", "企业职工岗位技能培训", "创业培训", "创业担保贷款",
    "创业担保贷款回收率", "城乡居民养老保险参保",
]  # fmt: skip
XINJIAN_3 = {  # unit: 新增城镇就业, 新增转移 (其中省内), 岗位技能培训, 创业培训, 担保贷款, 回收率, 居民养老
    "区本级": (0, (0, 0), 0, 650, 0, 0, 0),
    "松湖镇": (255, (500, 400), 70, 0, 600, 100, 19000),
    "石岗镇": (255, (500, 400), 70, 0, 700, 100, 19000),
    "流湖镇": (255, (500, 400), 70, 0, 700, 100, 25000),
    "厚田乡": (255, (500, 400), 70, 0, 1000, 100, 17000),
    "西山镇": (255, (500, 400), 70, 0, 700, 100, 17000),
    "望城镇": (255, (450, 300), 70, 0, 700, 100, 8000),
    "石埠乡": (255, (450, 300), 70, 0, 800, 100, 17000),
    "大塘坪乡": (255, (500, 400), 70, 0, 800, 100, 16000),
    "象山镇": (255, (500, 400), 70, 0, 1000, 100, 17000),
    "昌邑乡": (255, (450, 350), 70, 0, 1000, 100, 13000),
    "溪霞镇": (255, (500, 400), 70, 0, 800, 100, 14000),
    "铁河乡": (255, (450, 350), 70, 0, 700, 100, 7500),
    "金桥乡": (255, (450, 350), 70, 0, 800, 100, 12000),
    "联圩镇": (255, (500, 400), 70, 0, 1000, 100, 20000),
    "南矶乡": (130, (200, 100), 70, 0, 300, 100, 4500),
    "长堎镇": (2800, (200, 100), 300, 0, 2400, 100, 9500),
    "新建经开区": (1300, (450, 350), 1650, 0, 800, 100, 9500),
}
XINJIAN_5 = {
    "大塘坪乡": (4, 3), "昌邑乡": (12, 10), "铁河乡": (257, 205), "象山镇": (292, 224),
    "矶山（二轻公司）": (587, 449), "联圩镇": (951, 692), "南矶乡": (3861, 3040), "厚田乡": (306, 219),
}  # fmt: skip


class TestHutangAttachment1:
    def test_every_community_gets_both_targets(self, demo_units):
        preview = imported("hutang-2014-fujian1.xlsx", 2014)
        stored = allocations(2014)
        expected = {}
        for unit, (social, fund) in HUTANG.items():
            expected[(unit, "社保扩面人数")] = (D(social), None)
            expected[(unit, "公积金扩面人数")] = (D(fund), None)
        assert stored == expected
        assert preview.sheets == {"Sheet1": "rows"}

    def test_totals_match_the_document_and_raise_no_warning(self, demo_units):
        preview = imported("hutang-2014-fujian1.xlsx", 2014)
        stored = allocations(2014)
        assert column_sum(stored, "社保扩面人数") == 1260
        assert column_sum(stored, "公积金扩面人数") == 1510
        assert preview.warnings == []

    def test_title_and_header_repeated_after_the_page_break_are_skipped(self, demo_units):
        preview = imported("hutang-2014-fujian1.xlsx", 2014)
        assert any("重复的表头" in n for n in preview.notes)
        assert len(HUTANG) == 44 and preview.counts["new"] == 88


class TestRugaoAttachment1:
    def test_towns_as_columns_with_the_merged_pension_header(self, demo_units):
        preview = imported("rugao-2018-fujian1.xlsx", 2018)
        assert preview.sheets == {"附件1": "columns"}
        stored = allocations(2018)
        for indicator, (_total, towns) in RUGAO_1.items():
            for town, value in zip(RUGAO_TOWNS, towns, strict=True):
                assert stored[(town, indicator)] == (D(value), None), (town, indicator)
        assert len(stored) == 14 * 4

    def test_totals_column_matches(self, demo_units):
        preview = imported("rugao-2018-fujian1.xlsx", 2018)
        stored = allocations(2018)
        for indicator, (total, _towns) in RUGAO_1.items():
            assert column_sum(stored, indicator) == total
        assert [6000, 980000, 320000, 19200] == [t for t, _ in RUGAO_1.values()]
        assert preview.warnings == []

    def test_measure_in_parentheses_is_kept_apart_from_the_name(self, demo_units):
        imported("rugao-2018-fujian1.xlsx", 2018)
        assert Indicator.objects.get(name="居民养老保险 / 保费金额").measure == "万元"


class TestRugaoAttachment2:
    def test_targets_inside_the_scoring_table(self, demo_units):
        preview = imported("rugao-2018-fujian2.xlsx", 2018)
        stored = allocations(2018)
        for indicator, (_m, _t, _ts, towns, subs) in RUGAO_2.items():
            for i, town in enumerate(RUGAO_TOWNS):
                sub = D(subs[i]) if subs else None
                assert stored[(town, indicator)] == (D(towns[i]), sub), (town, indicator)
        assert len(stored) == 14 * 10
        assert preview.warnings == []

    def test_stated_totals_and_sub_totals_match_the_units(self, demo_units):
        imported("rugao-2018-fujian2.xlsx", 2018)
        stored = allocations(2018)
        for indicator, (measure, total, total_sub, _towns, _subs) in RUGAO_2.items():
            if measure == "%":
                continue
            assert column_sum(stored, indicator) == total, indicator
            if total_sub is not None:
                assert column_sum(stored, indicator, 1) == total_sub, indicator

    def test_measures_and_sub_labels(self, demo_units):
        imported("rugao-2018-fujian2.xlsx", 2018)
        for indicator, (measure, *_rest) in RUGAO_2.items():
            assert Indicator.objects.get(name=indicator).measure == measure
        assert Indicator.objects.get(name="技能提升培训").sub_label == "其中鉴定取证"

    def test_rows_without_numeric_targets_are_reported_as_skipped(self, demo_units):
        preview = imported("rugao-2018-fujian2.xlsx", 2018)
        skipped = " ".join(preview.notes)
        assert "晚霞行动" in skipped and "创新创优项目" in skipped


class TestXinjianAttachment3:
    def test_every_unit_including_the_district_level_zeros(self, demo_units):
        imported("xinjian-2021-fujian3.xlsx", 2021)
        stored = allocations(2021)
        for unit, values in XINJIAN_3.items():
            for indicator, value in zip(XINJIAN_INDICATORS, values, strict=True):
                target, sub = value if isinstance(value, tuple) else (value, None)
                expected_sub = D(sub) if sub is not None else None
                assert stored[(unit, indicator)] == (D(target), expected_sub), (unit, indicator)
        assert len(stored) == 18 * 7

    def test_the_task_row_above_the_units_is_the_total(self, demo_units):
        preview = imported("xinjian-2021-fujian3.xlsx", 2021)
        stored = allocations(2021)
        assert [column_sum(stored, i) for i in XINJIAN_INDICATORS if i != "创业担保贷款回收率"] == [
            7800,
            7600,
            3000,
            650,
            14800,
            245000,
        ]
        assert column_sum(stored, "新增转移农村劳动力", 1) == 5800
        assert preview.warnings == []

    def test_the_province_column_is_the_sub_target_of_rural_transfer(self, demo_units):
        imported("xinjian-2021-fujian3.xlsx", 2021)
        indicator = Indicator.objects.get(name="新增转移农村劳动力")
        assert (indicator.measure, indicator.sub_label) == ("人", "其中省内")


class TestXinjianAttachment5:
    def test_without_create_units_the_company_row_is_an_error_with_the_place(self, demo_units):
        path = FIXTURES / "xinjian-2021-fujian5.xlsx"
        preview = preview_import(data=path.read_bytes(), file_name=path.name, year=2021)
        assert len(preview.errors) == 1
        assert "第 8 行 B 列" in preview.errors[0] and "矶山（二轻公司）" in preview.errors[0]

    def test_with_create_units_every_value_and_the_totals(self, demo_units):
        preview = imported("xinjian-2021-fujian5.xlsx", 2021, create_units=True)
        stored = allocations(2021)
        for unit, (fishers, able) in XINJIAN_5.items():
            assert stored[(unit, "退捕渔民人数")] == (D(fishers), None)
            assert stored[(unit, "有劳动能力需转产就业的人数")] == (D(able), None)
        assert column_sum(stored, "退捕渔民人数") == 6270
        assert column_sum(stored, "有劳动能力需转产就业的人数") == 4842
        assert preview.warnings == []

    def test_the_company_becomes_a_zone_under_xinjian(self, demo_units):
        imported("xinjian-2021-fujian5.xlsx", 2021, create_units=True)
        unit = Unit.objects.get(name="矶山（二轻公司）")
        assert unit.kind == Unit.Kind.ZONE
        assert unit.parent.name == "新建区人力资源和社会保障局"


class TestDemoTargets:
    def test_loading_twice_imports_once(self, demo_units):
        from targets.demo import load_demo_targets
        from targets.models import ImportBatch, TargetAllocation

        load_demo_targets()
        first = TargetAllocation.objects.count()
        batches = ImportBatch.objects.count()
        load_demo_targets()
        assert first == 88 + 56 + 140 + 126 + 16
        assert (TargetAllocation.objects.count(), ImportBatch.objects.count()) == (first, batches)
